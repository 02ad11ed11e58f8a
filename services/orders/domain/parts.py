"""A school's part of an order: a school's own order is all its own; a trust's order has lines
for several schools of the trust, each line naming its school."""

from __future__ import annotations

from dataclasses import replace

from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order


def school_of(order: Order, line: OrderLine) -> int:
    """The school a line is for: a trust's order names it on each line."""
    return line.school_urn or order.urn


def part_for(order: Order, urn: int) -> Order:
    """One school's part of an order: a school's own order whole; of a trust's order, only the
    school's lines, without the trust's invoice."""
    if order.trust_code is None:
        return order
    lines = [line for line in order.lines if school_of(order, line) == urn]
    return replace(order, lines=lines, invoice=None)


def parts_for(orders: list[Order], urn: int) -> list[Order]:
    """The school's part of each of these orders that has a line for it."""
    return [
        part_for(order, urn)
        for order in orders
        if any(school_of(order, line) == urn for line in order.lines)
    ]
