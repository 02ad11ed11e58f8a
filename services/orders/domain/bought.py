"""What counts as bought for a school for an academic year: a subscription (or a bundle of
them) bought for it by anyone — the school itself, or any trust for it — in an order neither
cancelled nor refunded in full. Neither the annual buy-back nor the shop sells it to anyone for
that school and year again. More of anything else may be bought at any time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from services.orders.domain.lines import YEARLY, OrderLine
from services.orders.domain.order import Order
from services.orders.domain.states import OrderStatus, PaymentStatus
from shared.calendar import academic_year
from shared.errors import Conflict


def year_bought_for(line: OrderLine) -> str | None:
    """The academic year a subscription's line buys (and the buy-back renews) it for: a year
    sold by the academic year, or a financial year, counted with the academic year it ends in.
    None for a line of anything else: more of it may be bought at any time."""
    if line.service_type in YEARLY and line.term_end is not None:
        return academic_year(line.term_end)
    return None


def counts_as_bought(order: Order) -> bool:
    """An order cancelled, or refunded in full, bought nothing."""
    return order.cancelled_on is None and not order.refunded_in_full


def live_subscriptions(
    orders: list[Order], year: str | None = None
) -> Iterator[tuple[Order, OrderLine, str]]:
    """Each subscription line, with its year, of an order counted as bought (only those for
    `year`, if one is given)."""
    for order in orders:
        if counts_as_bought(order):
            for line in order.lines:
                bought_for = year_bought_for(line)
                if bought_for is not None and year in (None, bought_for):
                    yield order, line, bought_for


def bought_in(orders: list[Order], year: str) -> dict[UUID, Order]:
    """Service → the newest live order (of `orders`, newest first) with a subscription line of
    it for the year."""
    found: dict[UUID, Order] = {}
    for order, line, _ in live_subscriptions(orders, year):
        found.setdefault(line.service_id, order)
    return found


def already_bought(line: OrderLine, orders: list[Order]) -> Order | None:
    """The order that has bought the subscription `line` would buy for its year already, for
    the school it is for (`orders`: the school's part of each order with a line for it, newest
    first, whoever placed it): a subscription counts as bought for the year whoever bought it
    for that school — the school itself, or any trust for it — and none is bought twice."""
    year = year_bought_for(line)
    return None if year is None else bought_in(orders, year).get(line.service_id)


class AlreadyBought(Conflict):
    """A purchase refused: one of its lines is a subscription already bought for its school
    for its year (see `already_bought`), by `order_id`."""

    def __init__(self, line: OrderLine, order: Order, *, school: str, field: str) -> None:
        by = f"(order {order.id}, by {bought_by(order) or 'the school itself'})"
        waiting = still_awaiting(order)
        if waiting is None:
            message = (
                f"{line.title} is already bought for {school} for {year_bought_for(line)} {by}"
            )
        else:
            message = (
                f"{line.title} is already ordered for {school} for {year_bought_for(line)} "
                f"{by}, awaiting {waiting}: {ANSWER_TO[waiting]}"
            )
        super().__init__(message, field=field)
        self.order_id = order.id


ANSWER_TO = {
    "its card payment": "pay for that order or cancel it",
    "its approver": "wait for its approver's answer, or cancel that order",
}


def still_awaiting(order: Order) -> str | None:
    """What an order that holds a subscription for its school still waits for before it is
    bought: its approver, or its card payment (None: bought)."""
    if order.status is OrderStatus.AWAITING_APPROVAL:
        return "its approver"
    if order.payment_status is PaymentStatus.AWAITING_PAYMENT:
        return "its card payment"
    return None


def bought_by(order: Order) -> str | None:
    """The trust that placed an order, by its name then (None: the school itself)."""
    if order.trust_code is None:
        return None
    return order.trust_name or f"trust {order.trust_code}"


@dataclass(frozen=True)
class Bought:
    """A subscription bought for a school for an academic year, with the newest order that
    bought it: not sold for that school and year again."""

    year: str
    line: OrderLine
    order: Order


def subscriptions_bought(orders: list[Order]) -> list[Bought]:
    """Each subscription `orders` (newest first) bought for a year, once per service and year."""
    found: dict[tuple[UUID, str], Bought] = {}
    for order, line, year in live_subscriptions(orders):
        found.setdefault((line.service_id, year), Bought(year, line, order))
    return list(found.values())
