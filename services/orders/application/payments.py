"""Money after checkout: card payments confirmed by Stripe's webhooks, remittances against
invoices, cancellations with refunds or credit notes by rule (in full when the catalogue calls
off a course session), refunds, fulfilment."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.orders.adapters.payments import Refund, Remittance
from services.orders.application import events_out
from services.orders.application.ports import PaymentGateway, PaymentNews
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.refunds import LineRefund
from services.orders.domain.states import OrderStatus, PaymentStatus
from shared.bus import Command
from shared.calendar import long_date
from shared.errors import Conflict, DomainError
from shared.events import Envelope, SessionCancelledV1
from shared.money import total

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApplyWebhook(Command["str"]):
    """Stripe's webhook as it came: its body, and the signature it was sent with."""

    payload: bytes
    signature: str


async def apply_webhook(
    command: ApplyWebhook, *, uow: OrdersUnitOfWork, gateway: PaymentGateway, today: date
) -> str:
    """What became of a webhook whose signature verifies (a forged one raises ForgedWebhook)."""
    news = gateway.verify(command.payload, command.signature)
    if news is None:
        return "not a payment event"
    return await apply_payment_news(uow, news, gateway=gateway, today=today)


async def apply_payment_news(
    uow: OrdersUnitOfWork, news: PaymentNews, *, gateway: PaymentGateway, today: date
) -> str:
    """Apply a verified webhook once. Only `payment_intent.succeeded` for an order awaiting
    payment changes anything: a repeat, a late or out-of-order event is noted and ignored.
    Lines given back while the payment was awaited are refunded from it at once."""
    if await uow.payments.seen_stripe_event(news.event_id):
        return "already applied"
    await uow.payments.note_stripe_event(news.event_id, news.type)
    outcome = "ignored"
    found = await uow.orders.by_payment_reference(news.reference)
    if found is None:
        outcome = "no order has this payment"
    elif news.type == "payment_intent.succeeded":
        order = await uow.orders.get(found.id, locked=True)
        try:
            paid = order.record_card_payment(
                payment_reference=news.reference, amount_pence=news.amount_pence
            )
        except DomainError as refused:  # acknowledged (Stripe would resend it for days)
            log.warning("payment %s not applied: %s", news.reference, refused.message)
            paid, outcome = False, f"refused: {refused.message}"
        if paid:
            school = await uow.schools.get(order.urn)
            uow.record(events_out.order_paid(order, school, paid_on=today))
            await give_back_withdrawn(uow, order, gateway=gateway, today=today)
            await uow.orders.save(order)
            outcome = "paid"
    return outcome


@dataclass(frozen=True)
class RecordRemittance(Command["Order"]):
    invoice_id: UUID
    amount_pence: int
    received_on: date
    reference: str
    recorded_by: str


async def record_remittance(command: RecordRemittance, *, uow: OrdersUnitOfWork) -> Order:
    found = await uow.orders.invoice(command.invoice_id)
    order = await uow.orders.get(found.id, locked=True)
    if await uow.payments.remittance_recorded(command.invoice_id, command.reference):
        raise Conflict(
            f"a remittance {command.reference!r} is already recorded against this invoice",
            field="reference",
        )
    order.record_remittance(command.amount_pence)
    await uow.payments.add_remittance(Remittance(id=uuid4(), **command.__dict__))
    school = await uow.schools.get(order.urn)
    uow.record(
        events_out.invoice_settled(
            order,
            school,
            amount_pence=command.amount_pence,
            settled_on=command.received_on,
            reference=command.reference,
        )
    )
    await uow.orders.save(order)
    return order


@dataclass(frozen=True)
class CancelOrder(Command["Order"]):
    order_id: UUID
    reason: str


@dataclass(frozen=True)
class RefundOrder(Command["Order"]):
    order_id: UUID
    amount_pence: int
    reason: str
    idempotency_key: str | None = None  # a repeat with the same key refunds nothing more


@dataclass(frozen=True)
class FulfilOrder(Command["Order"]):
    order_id: UUID


async def cancel_order(
    command: CancelOrder, *, uow: OrdersUnitOfWork, gateway: PaymentGateway, today: date
) -> Order:
    order = await uow.orders.get(command.order_id, locked=True)
    was_awaiting = order.payment_status is PaymentStatus.AWAITING_PAYMENT
    refunds = order.cancel(today)
    for subscription in await uow.rolling.for_period_ordered_by(order.id):
        if subscription.withdraw(order.id, today):
            await uow.rolling.save(subscription)
    await settle(
        uow,
        order,
        refunds,
        cancelled=True,
        was_awaiting=was_awaiting,
        gateway=gateway,
        reason=command.reason,
        today=today,
    )
    return order


async def on_session_cancelled(
    envelope: Envelope[SessionCancelledV1],
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    today: date,
) -> None:
    """The catalogue called off a course session under its minimum: every booking on it is
    refunded (card) or credited (invoice) in full, once, however often the news comes; a
    basket's line on it is refused at checkout from now on."""
    event = envelope.payload
    reason = (
        f"{event.title} on {long_date(event.starts_on)} was cancelled: "
        f"fewer than {event.minimum_places} places were booked"
    )
    await uow.called_off.add(event.session_id, today)
    # A checkout of such a line under way is waited for, so that its order is found below.
    await uow.baskets.lock_holding(event.session_id)
    for order_id in await uow.orders.booked_on(event.session_id):
        order = await uow.orders.get(order_id, locked=True)
        before = state_before(order)
        refunds = order.withdraw_session(event.session_id, today)
        await settle(
            uow,
            order,
            refunds,
            **what_changed(order, before),
            gateway=gateway,
            reason=reason,
            today=today,
            idempotency_key=f"session-{event.session_id}",
        )


async def settle(
    uow: OrdersUnitOfWork,
    order: Order,
    refunds: list[LineRefund],
    *,
    cancelled: bool,
    was_awaiting: bool,
    gateway: PaymentGateway,
    reason: str,
    today: date,
    idempotency_key: str | None = None,
) -> None:
    """After a cancellation (of the order, or of some of its lines): the news, the money back,
    and a card payment not yet made made impossible."""
    if cancelled:
        uow.record(
            events_out.order_cancelled(order, await uow.schools.get(order.urn), reason=reason)
        )
    if refunds:
        await give_back(
            uow,
            order,
            refunds,
            gateway=gateway,
            reason=reason,
            today=today,
            idempotency_key=idempotency_key,
        )
    await uow.orders.save(order)
    if cancelled and was_awaiting and order.payment_reference:
        await gateway.cancel_payment(order.payment_reference)  # so it can no longer be paid


async def refund_order(
    command: RefundOrder, *, uow: OrdersUnitOfWork, gateway: PaymentGateway, today: date
) -> Order:
    """A refund of an amount; a repeat with the same idempotency key refunds nothing more."""
    key = command.idempotency_key
    order = await uow.orders.get(command.order_id, locked=True)
    if key and await uow.payments.refund_made(command.order_id, key):
        return order
    refunds = order.refund(command.amount_pence)
    await give_back(
        uow,
        order,
        refunds,
        gateway=gateway,
        reason=command.reason,
        today=today,
        idempotency_key=key,
    )
    await uow.orders.save(order)
    return order


async def fulfil_order(command: FulfilOrder, *, uow: OrdersUnitOfWork, today: date) -> Order:
    order = await uow.orders.get(command.order_id, locked=True)
    order.fulfil(today)
    uow.record(events_out.order_fulfilled(order, await uow.schools.get(order.urn)))
    await uow.orders.save(order)
    return order


async def give_back_withdrawn(
    uow: OrdersUnitOfWork, order: Order, *, gateway: PaymentGateway, today: date
) -> None:
    """The money was just asked for or taken for every line: the lines given back before
    (the order's `refunds`) are refunded or credited now, each for the reason it went."""
    if order.refunds:
        reason = "; ".join(dict.fromkeys(found.rule for found in order.refunds))
        await give_back(uow, order, order.refunds, gateway=gateway, reason=reason, today=today)


async def give_back(
    uow: OrdersUnitOfWork,
    order: Order,
    refunds: list[LineRefund],
    *,
    gateway: PaymentGateway,
    reason: str,
    today: date,
    idempotency_key: str | None = None,
) -> None:
    """Money back to the card through Stripe's refund API, or a credit note on the invoice.
    Stripe is asked last, just before commit, with an idempotency key of our refund's id."""
    school = await uow.schools.get(order.urn)
    amounts = total([found.amounts for found in refunds])
    refund_id = uuid4()
    if order.payment_method is PaymentMethod.CARD:
        reference = await gateway.refund(
            reference=order.payment_reference or "",
            amount_pence=amounts.gross,
            idempotency_key=f"refund-{order.id}-{idempotency_key or refund_id}",
        )
        number = None
        uow.record(
            events_out.refund_issued(
                order, school, refunds, refund_id=refund_id, on=today, reason=reason
            )
        )
    else:
        reference = None
        number = await uow.orders.next_credit_note_number()
        uow.record(
            events_out.credit_note_issued(
                order,
                school,
                refunds,
                credit_note_id=refund_id,
                number=number,
                on=today,
                reason=reason,
            )
        )
    await uow.payments.add_refund(
        Refund(
            id=refund_id,
            order_id=order.id,
            kind="card_refund" if number is None else "credit_note",
            number=number,
            reference=reference,
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            issued_on=today,
            reason=reason,
            idempotency_key=idempotency_key,
        )
    )


def state_before(order: Order) -> tuple[bool, bool]:
    return (
        order.status is not OrderStatus.CANCELLED,
        order.payment_status is PaymentStatus.AWAITING_PAYMENT,
    )


def what_changed(order: Order, before: tuple[bool, bool]) -> dict[str, bool]:
    """What `settle` needs to know: whether this change cancelled the order, and whether it
    was still waiting for a card payment."""
    was_open, was_awaiting = before
    return {
        "cancelled": was_open and order.status is OrderStatus.CANCELLED,
        "was_awaiting": was_awaiting,
    }
