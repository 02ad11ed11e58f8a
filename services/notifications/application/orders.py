"""What notifications keeps of an order: the subscriptions it renews (until it is cancelled
or refunded in full), the course places a trust's order booked, and the messages its
cancellation makes untrue."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.approvals import approval_key
from services.notifications.domain.offers import offer_keys
from services.notifications.domain.trust_bookings import TrustPlaces
from services.notifications.domain.waiting import waiting_key
from shared.events import (
    Envelope,
    InvoiceRaisedV1,
    OrderCancelledV1,
    OrderPaidV1,
    OrderPlacedV1,
    RefundIssuedV1,
)


async def order_placed(envelope: Envelope[OrderPlacedV1], *, uow: NotificationsUnitOfWork) -> None:
    """An order renews what it buys from when it is placed, as orders counts it (and refuses to
    renew again): awaiting its approver or its card payment too, until it is cancelled. A
    trust's order's course places are kept, for the trust to hear if a session is called off."""
    event = envelope.payload
    await remember_subscriptions(uow, event)
    if event.trust_code:
        places = [
            TrustPlaces(line.line_id, line.session_id, line.urn or event.urn, line.delivery_on)
            for line in event.lines
            if line.line_id and line.session_id
        ]
        await uow.read_models.booked_by_trust(event.order_id, event.trust_code, places)


async def order_paid(envelope: Envelope[OrderPaidV1], *, uow: NotificationsUnitOfWork) -> None:
    event = envelope.payload
    await remember_subscriptions(uow, event)  # one placed before it was counted
    payment = await uow.read_models.card_paid(event.order_id, event.gross_pence)
    if payment.refunded_in_full:  # by refunds applied before it
        await uow.read_models.refunded_in_full(event.order_id)


async def order_refunded(
    envelope: Envelope[RefundIssuedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """An order refunded in full bought nothing, as orders counts it: what it subscribed to is
    not renewed by it, and is the school's (or trust's) to renew again if bought last year. A
    part refund changes nothing. In full as the refund says, or as the order's refunds heard
    of add up to its payment (one from before refunds said so reads as a part refund)."""
    event = envelope.payload
    payment = await uow.read_models.card_refunded(
        event.order_id, event.refund_id, event.gross_pence
    )
    if event.order_refunded_in_full or payment.refunded_in_full:
        await uow.read_models.refunded_in_full(event.order_id)


async def order_cancelled(
    envelope: Envelope[OrderCancelledV1], *, uow: NotificationsUnitOfWork
) -> None:
    """Its approval is asked for no more, nor its places offered or waited for; a message of
    any of them not sent yet is withdrawn."""
    event = envelope.payload
    await uow.read_models.order_cancelled(event.order_id, on=event.cancelled_on)
    lines = [line.line_id for line in event.lines if line.line_id]
    offers = [key for line_id in lines for key in offer_keys(line_id)]
    await uow.messages.withdraw(
        [approval_key(event.order_id), *offers, *(waiting_key(line_id) for line_id in lines)],
        why="withdrawn: the order was cancelled",
    )


RENEWED_YEARLY = ("subscription", "bundle")  # the buy-back renews them


async def remember_subscriptions(
    uow: NotificationsUnitOfWork, event: OrderPlacedV1 | OrderPaidV1 | InvoiceRaisedV1
) -> None:
    """Each subscription line's term (a bundle of subscriptions has one too), for its own school
    (a trust's order names one per line), and the trust that bought it, if one did; kept until
    the order is cancelled (paid, then invoiced: each keeps the same terms once)."""
    terms: dict[int, set[tuple[date, UUID]]] = defaultdict(set)
    for line in event.lines:
        if line.service_type in RENEWED_YEARLY and line.term_start is not None:
            terms[line.urn or event.urn].add((line.term_start, line.service_id))
    for urn, bought in terms.items():
        await uow.read_models.subscribed(event.order_id, urn, bought, trust_code=event.trust_code)
