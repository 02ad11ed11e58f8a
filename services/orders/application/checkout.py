"""Checkout: a basket (or given lines) becomes an order, once per Idempotency-Key, paid by
card (a Stripe PaymentIntent the browser confirms) or by invoice (numbered without gaps) — or,
over the school's spending limit, held for its approver with nothing asked for yet.

A card checkout asks Stripe for its payment before its transaction begins (`pay_ahead`), for
the amount a first look finds and the order id it will have: a slow Stripe then holds no
connection and no lock, and on SQLite every other request of the API goes on meanwhile. The
transaction checks that the payment still fits the order it places; if the basket changed in
between, it is rolled back, the payment cancelled, and the checkout tried again.

Read `check_out` top to bottom: an earlier checkout with the same key answers for itself; else
the order is placed, invoiced (if by invoice) or given its payment (if by card), and stored;
the bus commits it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

from services.orders.application import events_out
from services.orders.application.bought import refuse_bought_already
from services.orders.application.ports import CardPayment, Catalogue, PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.basket import (
    Basket,
    check_sessions_bookable,
    check_still_sold,
    check_terms_running,
)
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import IdempotencyKeyTaken, Order, PaymentMethod
from services.orders.domain.rolling import RollingSubscription, term_for
from services.orders.domain.school import School
from services.orders.domain.states import OrderStatus, PaymentStatus
from shared.bus import Command, MessageBus
from shared.clock import business_day
from shared.errors import Conflict
from shared.money import total


class CheckoutChanged(Conflict):
    """What the order would charge changed after its card payment was asked for (the basket
    edited meanwhile, say): the payment no longer fits it."""

    def __init__(self) -> None:
        super().__init__(
            "the order changed while its card payment was being set up; try again",
            field="lines",
        )


# A checkout that lost a race to another with its key, or whose basket changed while Stripe was
# asked: handled again, it finds the winner's order, or asks for the payment that now fits.
CHECKOUT_RACES = (IdempotencyKeyTaken, CheckoutChanged)


@dataclass(frozen=True)
class Checkout(Command["CheckedOut"]):
    urn: int
    payment_method: PaymentMethod
    purchase_order: str | None
    idempotency_key: str | None
    lines: list[OrderLine] | None = None  # None: take the school's basket
    renewing: bool = False  # a rolling subscription's next period: it starts none of its own

    handled_again_on = CHECKOUT_RACES


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

    handled_again_on = CHECKOUT_RACES


@dataclass(frozen=True)
class FetchPayment(Command["CheckedOut"]):
    """The card payment an order awaits, as Stripe has it now."""

    order: Order


@dataclass(frozen=True)
class PaidAhead:
    """A card payment asked of Stripe before the checkout's transaction, for the order id the
    order will be given."""

    order_id: UUID
    payment: CardPayment


async def handle(bus: MessageBus[OrdersUnitOfWork], command: Command[CheckedOut]) -> CheckedOut:
    """A command that checks out, handled by the bus. Same school and key → the same order,
    also when retries race each other: the bus handles the loser of a race again (see
    `CHECKOUT_RACES`), and it then finds the winner's order. A card payment that an earlier
    checkout's order still awaits is asked of Stripe once the transaction is over."""
    done = await bus.handle(command)
    if done.payment is None and awaited_reference(done.order):
        done = await bus.handle(FetchPayment(done.order))
    return done


async def checkout(
    command: Checkout,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    now: datetime,
    settings: Settings,
) -> CheckedOut:
    """The school's basket (or the lines given) checked out; see `handle` for its retries."""
    paid_ahead = await pay_ahead(uow, command, gateway=gateway)
    return await check_out(
        uow, command, paid_ahead=paid_ahead, now=now, payment_days=settings.invoice_payment_days
    )


async def place_order(
    command: PlaceOrder,
    *,
    uow: OrdersUnitOfWork,
    catalogue: Catalogue,
    gateway: PaymentGateway,
    now: datetime,
    settings: Settings,
) -> CheckedOut:
    """An order straight from a list of services, each line at the school's own quote, as a
    basket's would be (a subscription for the academic year it is ordered in). The catalogue
    prices every line in one question."""
    quoted = await catalogue.asked_by(command.token).quotes(urn=command.urn, lines=command.lines)
    term_of = functools.partial(term_for, today=business_day(now))
    lines = [OrderLine.quoted(quote, term=term_of(quote)) for quote in quoted]
    given = Checkout(
        urn=command.urn,
        payment_method=command.payment_method,
        purchase_order=command.purchase_order,
        idempotency_key=command.idempotency_key,
        lines=lines,
    )
    return await checkout(given, uow=uow, gateway=gateway, now=now, settings=settings)


async def fetch_payment(command: FetchPayment, *, gateway: PaymentGateway) -> CheckedOut:
    return CheckedOut(command.order, await awaited_payment(command.order, gateway))


async def pay_ahead(
    uow: OrdersUnitOfWork, command: Checkout, *, gateway: PaymentGateway
) -> PaidAhead | None:
    """The card payment this checkout will take, asked of Stripe before its transaction begins,
    for the amount a first look finds; None if it takes none now."""
    if command.payment_method is not PaymentMethod.CARD:
        return None
    async with uow.first_look():
        amount = await card_amount_due(uow, command)
    if amount is None:
        return None
    return await ask_for_card_payment(
        uow, gateway, order_id=uuid4(), urn=command.urn, amount_pence=amount
    )


async def ask_for_card_payment(
    uow: OrdersUnitOfWork, gateway: PaymentGateway, *, order_id: UUID, urn: int, amount_pence: int
) -> PaidAhead:
    """A card payment for the order `order_id`, asked of Stripe before the transaction that
    gives it to the order, and cancelled unless that transaction commits. Each ask has a key of
    its own: Stripe answers a key again as it first did, for a day, and a payment cancelled
    must never come back."""
    payment = await gateway.create_payment(
        amount_pence=amount_pence, order_id=order_id, urn=urn, idempotency_key=f"pay-{uuid4()}"
    )
    uow.undo_unless_committed(lambda: gateway.cancel_payment(payment.reference))
    return PaidAhead(order_id, payment)


async def card_amount_due(uow: OrdersUnitOfWork, command: Checkout) -> int | None:
    """What a card checkout will charge now: None for an earlier checkout with the same key,
    an empty basket, or an order its school's approver must approve first."""
    if await earlier_checkout(uow, command.urn, command.idempotency_key) is not None:
        return None
    if command.lines is not None:
        lines = command.lines
    else:
        lines = (await uow.baskets.get(command.urn, locked=False)).lines
    if not lines:
        return None
    gross = total([line.amounts for line in lines]).gross
    policy = await uow.approval_policies.of(command.urn)
    return None if policy.needs_approval(gross) else gross


async def check_out(
    uow: OrdersUnitOfWork,
    command: Checkout,
    *,
    paid_ahead: PaidAhead | None,
    now: datetime,
    payment_days: int,
) -> CheckedOut:
    basket = await uow.baskets.get(command.urn)  # locks the school: its checkouts queue
    earlier = await earlier_checkout(uow, command.urn, command.idempotency_key)
    if earlier is not None:
        if paid_ahead is not None:
            raise CheckoutChanged()
        return earlier
    school = await uow.schools.get(command.urn)
    order_id = paid_ahead.order_id if paid_ahead else None
    order = await place(uow, command, school, basket, now=now, order_id=order_id)
    settles_now = order.status is not OrderStatus.AWAITING_APPROVAL
    if settles_now and order.payment_method is PaymentMethod.INVOICE:
        await invoice_order(uow, order, school, today=order.placed_on, payment_days=payment_days)
    takes_card = settles_now and order.payment_method is PaymentMethod.CARD
    payment = card_payment_for(order, paid_ahead) if takes_card else None
    if paid_ahead is not None and payment is None:
        raise CheckoutChanged()
    await store(uow, order, command, basket)
    return CheckedOut(order, payment)


def card_payment_for(order: Order, paid_ahead: PaidAhead | None) -> CardPayment:
    """The payment asked for ahead, which the order then awaits, if it is for the order's
    amount (the browser confirms it; the webhook pays the order)."""
    if paid_ahead is None or paid_ahead.payment.amount_pence != order.amounts.gross:
        raise CheckoutChanged()
    order.await_card_payment(paid_ahead.payment.reference)
    return paid_ahead.payment


async def earlier_checkout(
    uow: OrdersUnitOfWork, urn: int, idempotency_key: str | None
) -> CheckedOut | None:
    """The order an earlier checkout with the same key placed (its payment, if it awaits one,
    is asked of Stripe by `handle`, once the transaction is over)."""
    if not idempotency_key:
        return None
    found = await uow.orders.by_idempotency_key(urn, idempotency_key)
    return CheckedOut(found) if found is not None else None


def awaited_reference(order: Order) -> str | None:
    """The reference of the card payment the order awaits, if it awaits one."""
    if order.payment_status is PaymentStatus.AWAITING_PAYMENT:
        return order.payment_reference
    return None


async def awaited_payment(order: Order, gateway: PaymentGateway) -> CardPayment | None:
    """The card payment an order awaits, as Stripe has it now (None if it awaits none)."""
    reference = awaited_reference(order)
    return await gateway.payment(reference) if reference else None


async def place(
    uow: OrdersUnitOfWork,
    command: Checkout,
    school: School,
    basket: Basket,
    *,
    now: datetime,
    order_id: UUID | None = None,
) -> Order:
    """The order, placed at the quoted lines (or the basket's), held for the school's approver
    when over its spending limit; recorded for the catalogue to hold its places. A
    subscription bought for the school for its year already is refused, and so is a line whose
    term ended while it waited in the basket."""
    lines = command.lines if command.lines is not None else basket.empty()
    today = business_day(now)
    if not command.renewing:  # a rolling service's next period raised late is owed all the same
        check_terms_running(lines, today=today)
    await check_still_on_sale(uow, lines, today=today)
    await refuse_bought_already(uow, lines, urn=school.urn)
    policy = await uow.approval_policies.of(command.urn)
    over_limit = policy.needs_approval(total([line.amounts for line in lines]).gross)
    order = Order.place(
        school=school,
        lines=lines,
        payment_method=command.payment_method,
        purchase_order=command.purchase_order,
        now=now,
        idempotency_key=command.idempotency_key,
        approve_by=policy.approve_by(today) if over_limit else None,
        order_id=order_id,
    )
    uow.record(events_out.order_placed(order, school))
    if order.approve_by is not None:
        uow.record(events_out.approval_requested(order, school, policy=policy))
    return order


async def check_still_on_sale(
    uow: OrdersUnitOfWork, lines: list[OrderLine], *, today: date
) -> None:
    """Refuses, by name, a line of a service retired since it was quoted, and a course line
    whose session was called off, has begun, or is in a year its course is no longer sold for
    since: the basket keeps its quoted price, not what the catalogue no longer sells."""
    sold, retired = await uow.listings.sold_and_retired({line.service_id for line in lines})
    check_still_sold(lines, retired=retired)
    called_off = await uow.called_off.among({line.session_id for line in lines if line.session_id})
    years_sold = {service_id: listing.academic_years for service_id, listing in sold.items()}
    check_sessions_bookable(lines, today=today, called_off=called_off, years_sold=years_sold)


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
