"""An order's two state machines, kept apart as Saleor keeps them: what has happened to the
order (placed, fulfilled, cancelled; or first
awaiting the school approver's approval) and what has happened to its money (asked for, paid,
refunded). An order on 30-day invoice terms is fulfilled before it is paid; a part refund
leaves a fulfilled order fulfilled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

# These states are words of the orders' HTTP contract too.
from shared.api.orders import OrderStatus as OrderStatus
from shared.api.orders import PaymentStatus as PaymentStatus
from shared.api.orders import RefundStatus as RefundStatus
from shared.errors import Conflict

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
    # A payment voided with its order, made at the card processor before it heard: taken, and
    # refunded in full (`Order.take_voided_payment`).
    P.VOID: frozenset({P.PAID}),
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
