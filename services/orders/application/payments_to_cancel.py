"""A card payment voided with its order (every line given back: its course session called off,
its places declined, passed on, refused or never placed) is cancelled at Stripe after the
transaction that voided it has committed, never inside it: that transaction may be the worker's
batch of events, and a slow or unreachable Stripe would hold the order's row (on SQLite, the
database's one writer, so every checkout) and the whole batch meanwhile.

The transaction records the payment to cancel (`settle`); once it has committed, Stripe is asked
(`CancelVoidedPayment`) outside any transaction, and a short second transaction forgets it. A
request asks straight after its commit; the worker's job asks for every one still to cancel (one
recorded on hearing an event, or left by an outage or a crash), until Stripe answers. Asking
twice is harmless: a payment cancelled already is left so.

The school may pay before Stripe hears (its page still open): Stripe then refuses to cancel,
and the money it took is taken and refunded in full, through the card refunds' usual path (its
order.paid event, then a card refund asked of Stripe and its refund.issued event once made)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.orders.application import views
from services.orders.application.payments import take_payment
from services.orders.application.ports import CardPayment, PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from shared.bus import Command, MessageBus
from shared.errors import Conflict, Unavailable

log = logging.getLogger(__name__)

SUCCEEDED = "succeeded"


@dataclass(frozen=True)
class CancelVoidedPayment(Command[str]):
    """The card payment an order voided, cancelled at Stripe if it is still to be."""

    order_id: UUID


async def cancel_voided_payment(
    command: CancelVoidedPayment,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    today: date,
    now: datetime,
) -> str:
    """Ask Stripe before the transaction begins (no row is locked while it answers), then
    forget the payment: cancelled; or, made before Stripe heard, taken and refunded in full.
    Stripe out of reach leaves it to cancel, for the worker's job to ask again."""
    order_id = command.order_id
    async with uow.first_look():
        reference = await uow.payments_to_cancel.reference(order_id)
    if reference is None:
        return "cancelled already"
    try:
        made = await made_instead(gateway, reference)
    except Unavailable as unavailable:
        log.warning("payment %s not cancelled yet (asked again): %s", reference, unavailable)
        return "still to cancel"
    if made is None:
        await uow.payments_to_cancel.forget(order_id)
        return "cancelled"
    order = await uow.orders.get(order_id, locked=True)
    if not await uow.payments_to_cancel.forget(order_id):
        return "cancelled already"  # taken by another meanwhile
    if order.take_voided_payment(payment_reference=reference, amount_pence=made.amount_pence):
        await take_payment(uow, order, today=today, now=now)
    log.warning("payment %s was made before its cancel reached Stripe: refunded", reference)
    return "paid meanwhile: refunded"


async def made_instead(gateway: PaymentGateway, reference: str) -> CardPayment | None:
    """None once the payment is cancelled at Stripe; the payment, if Stripe refused because the
    school had made it. A refusal for any other reason raises (it is asked again later)."""
    try:
        await gateway.cancel_payment(reference)
    except Conflict:
        payment = await gateway.payment(reference)
        if payment.status != SUCCEEDED:
            raise
        return payment
    return None


async def cancel_voided_payments(
    bus: MessageBus[OrdersUnitOfWork], order_id: UUID | None = None
) -> list[str]:
    """Each payment still to cancel (an order's, or every one) asked of Stripe in turn, each in
    its own transaction; one that fails is logged and left to cancel, without holding back the
    others. What became of each."""
    outcomes = []
    for found in await views.payments_to_cancel(bus.unit_of_work(), order_id):
        try:
            outcomes.append(await bus.handle(CancelVoidedPayment(found)))
        except Exception:
            log.exception("the payment of order %s was not cancelled; it is asked again", found)
    return outcomes
