"""What notifications' bus handles: the commands of its routes and jobs, and the events that
need someone's attention, which its worker subscribes to (see shared/bus.py)."""

from __future__ import annotations

from services.notifications.application import delivery, events_in, messages, reminders, upkeep
from shared.bus import Commands, Events

COMMANDS: Commands = {
    messages.MarkRead: messages.mark_read,
    messages.SendAgain: messages.send_again,
    reminders.SendDueReminders: reminders.send_due_reminders,
    upkeep.ForgetPastTrustBookings: upkeep.forget_past_trust_bookings,
    delivery.ClaimNext: delivery.claim_next,
    delivery.RenewClaim: delivery.renew_claim,
    delivery.RecordOutcome: delivery.record_outcome,
}

EVENTS: Events = events_in.EVENTS
