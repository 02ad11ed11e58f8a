"""Checkout: a basket (or given lines) becomes an order, once per Idempotency-Key, paid by
card (a Stripe PaymentIntent the browser confirms) or by invoice (numbered without gaps) — or,
over the school's spending limit, held for its approver with nothing asked for yet.

Read `check_out` top to bottom: an earlier checkout with the same key answers for itself; else
the order is placed, invoiced (if by invoice), stored, then paid for (if by card); the bus
commits it.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.orders.application import events_out
from services.orders.application.ports import CardPayment, Catalogue, PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.basket import Basket
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import IdempotencyKeyTaken, Order, PaymentMethod
from services.orders.domain.rolling import RollingSubscription, term_for
from services.orders.domain.school import School
from services.orders.domain.states import OrderStatus, PaymentStatus
from shared.bus import Command, MessageBus
from shared.calendar import academic_year
from shared.money import total

log = logging.getLogger(__name__)
ATTEMPTS = 5


@dataclass(frozen=True)
class Checkout(Command["CheckedOut"]):
    urn: int
    payment_method: PaymentMethod
    purchase_order: str | None
    idempotency_key: str | None
    lines: list[OrderLine] | None = None  # None: take the school's basket
    renewing: bool = False  # a rolling subscription's next period: it starts none of its own


@dataclass(frozen=True)
class CheckedOut:
    """What a checkout did: the order, and the card payment the school's browser confirms
    (None when paid by invoice, or while the order awaits its approver)."""

    order: Order
    payment: CardPayment | None = None


@dataclass(frozen=True)
class PlaceOrder(Command["CheckedOut"]):
    urn: int
    lines: list[tuple[UUID, int]]  # service id, quantity
    payment_method: PaymentMethod
    purchase_order: str | None
    token: str  # the buyer's: the catalogue prices the lines as it would for them
    idempotency_key: str | None = None


@dataclass(frozen=True)
class FetchPayment(Command["CheckedOut"]):
    """The card payment an order awaits, as Stripe has it now."""

    order: Order


async def handle(bus: MessageBus[OrdersUnitOfWork], command: Command[CheckedOut]) -> CheckedOut:
    """A command that checks out, handled by the bus. Same school and key → the same order,
    also when retries race each other: the loser of a race finds the winner's order on its
    next attempt, once the winner has committed."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await bus.handle(command)
        except IdempotencyKeyTaken:
            if attempt == ATTEMPTS:
                raise
            log.info("a checkout raced another with its key; trying again")
    raise AssertionError("unreachable")


async def checkout(
    command: Checkout,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    today: date,
    settings: Settings,
) -> CheckedOut:
    """The school's basket (or the lines given) checked out; see `handle` for its retries."""
    done = await check_out(
        uow, command, gateway=gateway, today=today, payment_days=settings.invoice_payment_days
    )
    return await with_awaited_payment(done, gateway)


async def place_order(
    command: PlaceOrder,
    *,
    uow: OrdersUnitOfWork,
    catalogue: Catalogue,
    gateway: PaymentGateway,
    today: date,
    settings: Settings,
) -> CheckedOut:
    """An order straight from a list of services, each line at the school's own quote, as a
    basket's would be (a subscription for the academic year it is ordered in). The catalogue
    prices every line in one question."""
    quoted = await catalogue.asked_by(command.token).quotes(urn=command.urn, lines=command.lines)
    term_of = functools.partial(term_for, today=today, year=academic_year(today))
    lines = [OrderLine.quoted(quote, term=term_of(quote)) for quote in quoted]
    given = Checkout(
        urn=command.urn,
        payment_method=command.payment_method,
        purchase_order=command.purchase_order,
        idempotency_key=command.idempotency_key,
        lines=lines,
    )
    return await checkout(given, uow=uow, gateway=gateway, today=today, settings=settings)


async def fetch_payment(command: FetchPayment, *, gateway: PaymentGateway) -> CheckedOut:
    return CheckedOut(command.order, await awaited_payment(command.order, gateway))


async def check_out(
    uow: OrdersUnitOfWork,
    command: Checkout,
    *,
    gateway: PaymentGateway,
    today: date,
    payment_days: int,
) -> CheckedOut:
    basket = await uow.baskets.get(command.urn)  # locks the school: its checkouts queue
    earlier = await earlier_checkout(uow, command.urn, command.idempotency_key)
    if earlier is not None:
        return earlier
    school = await uow.schools.get(command.urn)
    order = await place(uow, command, school, basket, today=today)
    settles_now = order.status is not OrderStatus.AWAITING_APPROVAL
    if settles_now and order.payment_method is PaymentMethod.INVOICE:
        await invoice_order(uow, order, school, today=today, payment_days=payment_days)
    await store(uow, order, command, basket)  # a racing retry fails here, before Stripe is asked
    if settles_now and order.payment_method is PaymentMethod.CARD:
        return CheckedOut(order, await take_card_payment(uow, order, gateway=gateway))
    return CheckedOut(order)


async def earlier_checkout(
    uow: OrdersUnitOfWork, urn: int, idempotency_key: str | None
) -> CheckedOut | None:
    """The order an earlier checkout with the same key placed (its payment, if it awaits one,
    is asked of Stripe by `with_awaited_payment`)."""
    if not idempotency_key:
        return None
    found = await uow.orders.by_idempotency_key(urn, idempotency_key)
    return CheckedOut(found) if found is not None else None


async def with_awaited_payment(done: CheckedOut, gateway: PaymentGateway) -> CheckedOut:
    """A checkout answered by an earlier one's card order: with the payment it still awaits."""
    if done.payment is not None:
        return done
    return CheckedOut(done.order, await awaited_payment(done.order, gateway))


async def awaited_payment(order: Order, gateway: PaymentGateway) -> CardPayment | None:
    """The card payment an order awaits, as Stripe has it now (None if it awaits none)."""
    if order.payment_reference and order.payment_status is PaymentStatus.AWAITING_PAYMENT:
        return await gateway.payment(order.payment_reference)
    return None


async def place(
    uow: OrdersUnitOfWork, command: Checkout, school: School, basket: Basket, *, today: date
) -> Order:
    """The order, placed at the quoted lines (or the basket's), held for the school's approver
    when over its spending limit; recorded for the catalogue to hold its places."""
    lines = command.lines if command.lines is not None else basket.empty()
    policy = await uow.approval_policies.of(command.urn)
    over_limit = policy.needs_approval(total([line.amounts for line in lines]).gross)
    order = Order.place(
        school=school,
        lines=lines,
        payment_method=command.payment_method,
        purchase_order=command.purchase_order,
        today=today,
        idempotency_key=command.idempotency_key,
        approve_by=policy.approve_by(today) if over_limit else None,
    )
    uow.record(events_out.order_placed(order, school))
    if order.approve_by is not None:
        uow.record(events_out.approval_requested(order, school, approve_by=order.approve_by))
    return order


async def store(uow: OrdersUnitOfWork, order: Order, command: Checkout, basket: Basket) -> None:
    """The order (its invoice with it), the emptied basket, and the rolling subscriptions it
    starts; raises IdempotencyKeyTaken if another checkout with its key stored one first."""
    await uow.orders.add(order)
    if command.lines is None:
        await uow.baskets.save(basket)
    if not command.renewing:
        await _start_rolling(uow, order)


async def _start_rolling(uow: OrdersUnitOfWork, order: Order) -> None:
    """A rolling line bought starts a subscription that renews itself until cancelled."""
    for line in order.lines:
        if line.renews_every:
            subscription = RollingSubscription.start(
                line,
                order_id=order.id,
                urn=order.urn,
                payment_method=order.payment_method.value,
                purchase_order=order.purchase_order,
            )
            await uow.rolling.add(subscription)


async def invoice_order(
    uow: OrdersUnitOfWork, order: Order, school: School, *, today: date, payment_days: int
) -> None:
    """Number the invoice (no gaps: the number is taken in this transaction) and raise it."""
    number = await uow.orders.next_invoice_number()
    invoice = order.raise_invoice(number=number, today=today, payment_days=payment_days)
    uow.record(events_out.invoice_raised(order, invoice, school))


async def take_card_payment(
    uow: OrdersUnitOfWork, order: Order, *, gateway: PaymentGateway
) -> CardPayment:
    """Ask Stripe for the payment the school's browser then confirms; the order awaits it.
    Cancelled if the order is not committed with it, so that it can never be taken."""
    payment = await gateway.create_payment(
        amount_pence=order.amounts.gross,
        order_id=order.id,
        urn=order.urn,
        idempotency_key=f"order-{order.id}",
    )
    uow.undo_unless_committed(lambda: gateway.cancel_payment(payment.reference))
    order.await_card_payment(payment.reference)
    await uow.orders.save(order)
    return payment
