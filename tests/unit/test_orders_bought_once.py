"""What counts as bought for a school for a year: a subscription's line, in an order neither
cancelled nor refunded in full, for the academic year its term ends in (a financial year's
with the one it ends in); anything else is never "bought already"."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.orders.domain.bought import already_bought
from services.orders.domain.lines import OrderLine, ServiceType
from services.orders.domain.order import Order, PaymentMethod
from shared.clock import start_of
from tests.unit.test_orders_lifecycle import SCHOOL, TODAY, quote

HR = uuid4()
THIS_YEAR = (date(2026, 9, 1), date(2027, 8, 31))


def line(service_type: ServiceType = ServiceType.SUBSCRIPTION, **term: date) -> OrderLine:
    return OrderLine.quoted(
        quote(service_id=HR, title="HR advice line", service_type=service_type, quantity=1),
        term=(term["start"], term["end"]) if term else THIS_YEAR,
    )


def placed(*lines: OrderLine) -> Order:
    return Order.place(
        school=SCHOOL,
        lines=list(lines),
        payment_method=PaymentMethod.CARD,
        purchase_order=None,
        now=start_of(TODAY),
    )


def paid(order: Order) -> Order:
    order.await_card_payment("pi_1")
    assert order.record_card_payment(payment_reference="pi_1", amount_pence=order.amounts.gross)
    return order


def test_a_subscription_bought_for_the_year_is_bought_already_by_the_newest_order() -> None:
    older, newer = placed(line()), placed(line())

    assert already_bought(line(), [newer, older]) is newer


@pytest.mark.parametrize(
    ("start", "end", "bought"),
    [
        (date(2027, 9, 1), date(2028, 8, 31), False),  # next academic year: another year
        (date(2026, 4, 1), date(2027, 3, 31), True),  # a financial year ending in this one
        (date(2027, 4, 1), date(2028, 3, 31), False),  # ... and one ending in the next
    ],
)
def test_a_subscription_is_bought_already_only_for_the_academic_year_its_term_ends_in(
    start: date, end: date, bought: bool
) -> None:
    order = placed(line(start=start, end=end))

    assert (already_bought(line(), [order]) is order) is bought


def test_more_of_a_service_not_sold_by_the_year_is_never_bought_already() -> None:
    days = placed(line(ServiceType.CONSULTANCY))

    assert already_bought(line(ServiceType.CONSULTANCY), [days]) is None


def test_an_order_cancelled_or_refunded_in_full_bought_nothing_and_one_refunded_in_part_did() -> (
    None
):
    cancelled = placed(line())
    cancelled.cancel(TODAY)
    refunded, in_part = paid(placed(line())), paid(placed(line()))
    refunded.refund(refunded.amounts.gross)
    in_part.refund(100)

    assert already_bought(line(), [cancelled, refunded]) is None
    assert already_bought(line(), [cancelled, refunded, in_part]) is in_part
