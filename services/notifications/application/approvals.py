"""An order awaiting its school's approver: the approver is asked, until the order is
approved or cancelled."""

from __future__ import annotations

from datetime import datetime

from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.approvals import approval_key, too_late_to_answer
from services.notifications.domain.message import Draft
from services.notifications.domain.recipients import Recipient, SchoolContact
from shared.calendar import long_date
from shared.clock import business_day
from shared.events import ApprovalRequestedV1, Envelope, OrderApprovedV1
from shared.events.orders import ApprovalReason
from shared.money import format_pounds


async def approval_requested(
    envelope: Envelope[ApprovalRequestedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    if too_late_to_answer(event.approve_by, business_day(now)):  # applied late: it lapses
        return
    if not await uow.read_models.approval_awaited(event.order_id):  # approved or cancelled first
        return
    bought = "; ".join(event.titles)
    await send(
        uow,
        addressing,
        Draft(
            key=approval_key(event.order_id),
            recipient=Recipient.school(event.urn, SchoolContact.APPROVER),
            template="approval_requested",
            subject=f"An order of {format_pounds(event.gross_pence)} awaits your approval",
            body=(
                f"{event.school_name} ordered {bought} for {format_pounds(event.gross_pence)} "
                f"(including any VAT) on {long_date(event.placed_on)}{_why_approval(event)}. "
                "Nothing is charged or invoiced until you approve it; approve or decline it by "
                f"{long_date(event.approve_by)}, or it lapses and its places are released."
            ),
            link=addressing.link(f"/orders/{event.order_id}/approval"),
            cause_event_id=envelope.event_id,
        ),
        now=now,
    )


async def approval_answered(
    envelope: Envelope[OrderApprovedV1], *, uow: NotificationsUnitOfWork
) -> None:
    order_id = envelope.payload.order_id
    await uow.read_models.approval_answered(order_id)
    await uow.messages.withdraw([approval_key(order_id)], why="withdrawn: the order was approved")


def _why_approval(event: ApprovalRequestedV1) -> str:
    if event.reason is ApprovalReason.EVERY_ORDER:
        return "; your school asks for every order to be approved"
    if event.reason is ApprovalReason.SPENDING_LIMIT and event.spending_limit_pence is not None:
        limit = format_pounds(event.spending_limit_pence)
        return f", over the school's spending limit of {limit} (counted with VAT)"
    return ", and it needs your approval"  # an event from before it said why
