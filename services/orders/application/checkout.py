"""Checkout: a basket (or given lines) becomes an order, once per Idempotency-Key, paid by
card (a Stripe PaymentIntent the browser confirms) or by invoice (numbered without gaps) — or,
over the school's spending limit, held for its approver with nothing asked for yet."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import DBAPIError, IntegrityError

from services.orders.application import events_out
from services.orders.application.ports import PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.rolling import RollingSubscription
from services.orders.domain.school import School
from services.orders.domain.states import OrderStatus
from shared.money import total

log = logging.getLogger(__name__)
ATTEMPTS = 5


@dataclass(frozen=True)
class Checkout:
    urn: int
    payment_method: PaymentMethod
    purchase_order: str | None
    idempotency_key: str | None
    lines: list[OrderLine] | None = None  # None: take the school's basket
    renewing: bool = False  # a rolling subscription's next period: it starts none of its own


async def checkout(
    uows: Callable[[], OrdersUnitOfWork],
    command: Checkout,
    *,
    gateway: PaymentGateway,
    today: date,
    payment_days: int,
) -> Order:
    """Same school and key → the same order, also when retries race each other: the loser of
    a race finds the winner's order once the winner commits."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with uows() as uow:
                return await _checkout_once(
                    uow, command, gateway=gateway, today=today, payment_days=payment_days
                )
        except (IntegrityError, DBAPIError) as error:
            if command.idempotency_key is None or not _raced(error):
                raise
            async with uows() as uow:
                found = await uow.orders.by_idempotency_key(command.urn, command.idempotency_key)
            if found is not None:
                return found
            if attempt == ATTEMPTS:
                raise
            log.info("checkout for %s raced another writer; trying again", command.urn)
    raise AssertionError("unreachable")


async def _checkout_once(
    uow: OrdersUnitOfWork,
    command: Checkout,
    *,
    gateway: PaymentGateway,
    today: date,
    payment_days: int,
) -> Order:
    basket = await uow.baskets.get(command.urn)  # locks the school: its checkouts queue
    if command.idempotency_key:
        found = await uow.orders.by_idempotency_key(command.urn, command.idempotency_key)
        if found is not None:
            return found
    school = await uow.schools.get(command.urn)
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
    uow.record(events_out.order_placed(order, school))  # the catalogue holds its places
    awaiting_approval = order.status is OrderStatus.AWAITING_APPROVAL
    if awaiting_approval:
        assert order.approve_by is not None
        uow.record(events_out.approval_requested(order, school, approve_by=order.approve_by))
    elif order.payment_method is PaymentMethod.INVOICE:
        await invoice_order(uow, order, school, today=today, payment_days=payment_days)
    if command.lines is None:
        await uow.baskets.save(basket)
    await uow.orders.add(order)
    if not command.renewing:
        await _start_rolling(uow, order)
    await uow.session.flush()  # a racing retry fails here, before Stripe is asked for anything
    if order.payment_method is PaymentMethod.CARD and not awaiting_approval:
        return await take_card_payment(uow, order, gateway=gateway)
    await uow.commit()
    return order


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
    number = await uow.orders.next_invoice_number()
    invoice = order.raise_invoice(number=number, today=today, payment_days=payment_days)
    uow.record(events_out.invoice_raised(order, invoice, school))


async def take_card_payment(
    uow: OrdersUnitOfWork, order: Order, *, gateway: PaymentGateway
) -> Order:
    """Ask Stripe for the payment the school's browser then confirms; commit the order with it
    (or cancel the payment, if the commit fails, so it can never be taken)."""
    payment = await gateway.create_payment(
        amount_pence=order.amounts.gross,
        order_id=order.id,
        urn=order.urn,
        idempotency_key=f"order-{order.id}",
    )
    order.await_card_payment(payment.reference)
    await uow.orders.save(order)
    try:
        await uow.commit()
    except Exception:
        with contextlib.suppress(Exception):
            await gateway.cancel_payment(payment.reference)
        raise
    return order


def _raced(error: Exception) -> bool:
    text = str(error).lower()
    return isinstance(error, IntegrityError) or "locked" in text or "serializ" in text
