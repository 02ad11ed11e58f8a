"""What notifications' bus handles: the commands of its routes and jobs, and the events that
need someone's attention, which its worker subscribes to (see shared/bus.py)."""

from __future__ import annotations

from services.notifications.application import delivery, events_in, messages, reminders
from shared.bus import Commands, Events
from shared.events import (
    ApprovalRequestedV1,
    BaselineRecordedV1,
    CaseMovedV1,
    CreditNoteIssuedV1,
    InvoiceRaisedV1,
    InvoiceSettledV1,
    OrderCancelledV1,
    OrderPaidV1,
    PlaceOfferedV1,
    PlacesReservedV1,
    ProgrammeCreatedV1,
    ProviderFlaggedV1,
    SchoolContactChangedV1,
    SessionCancelledV1,
    WarningNoticeIssuedV1,
)

COMMANDS: Commands = {
    messages.MarkRead: messages.mark_read,
    messages.SendAgain: messages.send_again,
    reminders.SendDueReminders: reminders.send_due_reminders,
    delivery.ClaimDue: delivery.claim_due,
    delivery.RecordOutcome: delivery.record_outcome,
}

EVENTS: Events = {
    PlaceOfferedV1: events_in.place_offered,
    PlacesReservedV1: events_in.place_taken,
    OrderCancelledV1: events_in.order_cancelled,
    OrderPaidV1: events_in.order_paid,
    SessionCancelledV1: events_in.session_cancelled,
    InvoiceRaisedV1: events_in.invoice_raised,
    InvoiceSettledV1: events_in.invoice_settled,
    CreditNoteIssuedV1: events_in.invoice_credited,
    ProviderFlaggedV1: events_in.provider_flagged,
    SchoolContactChangedV1: events_in.contact_named,
    WarningNoticeIssuedV1: events_in.warning_notice_issued,
    CaseMovedV1: events_in.case_moved,
    ApprovalRequestedV1: events_in.approval_requested,
    ProgrammeCreatedV1: events_in.programme_created,
    BaselineRecordedV1: events_in.baseline_recorded,
}
