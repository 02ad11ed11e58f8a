"""An order's two state machines, kept apart as Saleor keeps them: what has happened to the
order (placed, fulfilled, cancelled; or first
awaiting the school approver's approval) and what has happened to its money (asked for, paid,
refunded). An order on 30-day invoice terms is fulfilled before it is paid; a part refund
leaves a fulfilled order fulfilled."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from shared.errors import Conflict


class OrderStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # over the school's limit: nothing asked for yet
    PLACED = "placed"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    NOT_ASKED = "not_asked"  # an order this moment placed, before its invoice or card payment
    AWAITING_PAYMENT = "awaiting_payment"  # a card payment the school has still to make
    INVOICED = "invoiced"  # an invoice raised, nothing yet received
    PARTLY_PAID = "partly_paid"  # remittances received, some still outstanding
    PAID = "paid"
    PARTLY_REFUNDED = "partly_refunded"
    REFUNDED = "refunded"
    CREDITED = "credited"  # an invoice credited in full before anything was paid
    VOID = "void"  # a card payment cancelled before it was made


P = PaymentStatus
ORDER_ALLOWED: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.AWAITING_APPROVAL: frozenset({OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.PLACED: frozenset({OrderStatus.FULFILLED, OrderStatus.CANCELLED}),
    OrderStatus.FULFILLED: frozenset({OrderStatus.CANCELLED}),
    OrderStatus.CANCELLED: frozenset(),
}
PAYMENT_ALLOWED: Mapping[PaymentStatus, frozenset[PaymentStatus]] = {
    P.NOT_ASKED: frozenset({P.AWAITING_PAYMENT, P.INVOICED}),
    P.AWAITING_PAYMENT: frozenset({P.PAID, P.VOID}),
    P.INVOICED: frozenset({P.PARTLY_PAID, P.PAID, P.CREDITED}),
    P.PARTLY_PAID: frozenset({P.PARTLY_PAID, P.PAID}),
    P.PAID: frozenset({P.PARTLY_REFUNDED, P.REFUNDED}),
    P.PARTLY_REFUNDED: frozenset({P.PARTLY_REFUNDED, P.REFUNDED}),
    P.REFUNDED: frozenset(),
    P.CREDITED: frozenset(),
    P.VOID: frozenset(),
}
# Money the school has paid or has been asked for on terms: an order may be delivered.
MAY_FULFIL = frozenset({P.INVOICED, P.PARTLY_PAID, P.PAID, P.PARTLY_REFUNDED})

State = TypeVar("State", OrderStatus, PaymentStatus)


def moved(
    current: State, to: State, allowed: Mapping[State, frozenset[State]], *, what: str, field: str
) -> State:
    """`to`, if the machine allows it from `current`; otherwise refused naming both states."""
    if to not in allowed[current]:
        raise Conflict(f"{what} that is {current.value} cannot become {to.value}", field=field)
    return to
