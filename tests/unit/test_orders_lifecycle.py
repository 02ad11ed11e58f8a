"""The order state machine: what may follow what, and what is refused with a reason."""

from __future__ import annotations

import re
from datetime import date
from uuid import uuid4

import pytest

from services.orders.domain.basket import Basket
from services.orders.domain.lines import Quote, ServiceType
from services.orders.domain.order import ALLOWED, Order, OrderStatus, PaymentMethod
from services.orders.domain.school import School
from shared.errors import Conflict, Invalid
from shared.money import VatRate

TODAY = date(2026, 12, 2)
SCHOOL = School(
    urn=117083,
    name="Abbots Langley School",
    la_code="919",
    la_name="Hertfordshire",
    establishment_type="Community school",
    type_group="Maintained school",
    phase="Primary",
    pupils=420,
    postcode="WD5 0BQ",
    town="Abbots Langley",
)


def quote(**overrides: object) -> Quote:
    values: dict[str, object] = {
        "service_id": uuid4(),
        "title": "Governance review",
        "service_type": ServiceType.CONSULTANCY,
        "category": "Governance",
        "price_version": 3,
        "quantity": 2,
        "unit_price_pence": 65_000,
        "vat_rate": VatRate.STANDARD,
        **overrides,
    }
    return Quote(**values)  # type: ignore[arg-type]


def order(method: PaymentMethod = PaymentMethod.CARD) -> Order:
    basket = Basket(urn=SCHOOL.urn)
    basket.add(quote())
    return Order.place(
        school=SCHOOL,
        lines=basket.empty(),
        payment_method=method,
        purchase_order="PO-1" if method is PaymentMethod.INVOICE else None,
        today=TODAY,
    )


def paid_card_order() -> Order:
    placed = order()
    placed.await_card_payment("pi_1")
    assert placed.record_card_payment(payment_reference="pi_1", amount_pence=156_000)
    return placed


def test_a_card_order_is_paid_once_and_a_repeat_changes_nothing() -> None:
    placed = paid_card_order()
    assert (placed.status, placed.paid_pence) == (OrderStatus.PAID, 156_000)
    assert not placed.record_card_payment(payment_reference="pi_1", amount_pence=156_000)
    assert placed.paid_pence == 156_000


def test_a_payment_of_the_wrong_amount_does_not_pay_the_order() -> None:
    placed = order()
    placed.await_card_payment("pi_1")
    with pytest.raises(Invalid, match=re.escape("owed £1,560.00")):
        placed.record_card_payment(payment_reference="pi_1", amount_pence=100)
    assert placed.status is OrderStatus.AWAITING_PAYMENT


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (OrderStatus.PLACED, OrderStatus.PAID),
        (OrderStatus.PLACED, OrderStatus.FULFILLED),
        (OrderStatus.AWAITING_PAYMENT, OrderStatus.FULFILLED),
        (OrderStatus.INVOICED, OrderStatus.FULFILLED),
        (OrderStatus.CANCELLED, OrderStatus.PAID),
        (OrderStatus.REFUNDED, OrderStatus.FULFILLED),
        (OrderStatus.FULFILLED, OrderStatus.PAID),
    ],
)
def test_an_illegal_transition_is_refused_with_a_message_naming_both_states(
    start: OrderStatus, to: OrderStatus
) -> None:
    placed = order()
    placed.status = start
    with pytest.raises(Conflict) as refused:
        placed.move(to)
    assert refused.value.message == f"an order that is {start.value} cannot become {to.value}"
    assert placed.status is start


def test_every_state_names_where_it_may_go_and_the_end_states_go_nowhere() -> None:
    assert set(ALLOWED) == set(OrderStatus)
    assert ALLOWED[OrderStatus.CANCELLED] == ALLOWED[OrderStatus.REFUNDED] == frozenset()


def test_an_unpaid_invoice_takes_part_payments_until_nothing_is_owed() -> None:
    placed = order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000001", today=TODAY, payment_days=30)
    placed.record_remittance(56_000)
    assert placed.status is OrderStatus.INVOICED
    with pytest.raises(Invalid, match=re.escape("at most the £1,000.00 outstanding")):
        placed.record_remittance(100_001)
    placed.record_remittance(100_000)
    assert placed.status is OrderStatus.PAID
    assert placed.invoice is not None and placed.invoice.outstanding_pence == 0


def test_refunds_never_exceed_what_was_paid() -> None:
    placed = paid_card_order()
    placed.refund(56_000)
    assert placed.status is OrderStatus.PARTLY_REFUNDED
    with pytest.raises(Invalid, match=re.escape("at most the £1,000.00 paid and not yet refunded")):
        placed.refund(100_001)
    placed.refund(100_000)
    assert (placed.status, placed.refunded_pence) == (OrderStatus.REFUNDED, 156_000)
    with pytest.raises(Invalid):
        placed.refund(1)


def test_cancelling_an_unpaid_card_order_refunds_nothing() -> None:
    placed = order()
    placed.await_card_payment("pi_1")
    assert placed.cancel(TODAY) == []
    assert placed.status is OrderStatus.CANCELLED
    with pytest.raises(Conflict):
        placed.cancel(TODAY)


def test_cancelling_a_paid_undelivered_order_refunds_it_in_full() -> None:
    placed = paid_card_order()
    refunds = placed.cancel(TODAY)
    assert sum(found.amounts.gross for found in refunds) == 156_000
    assert (placed.status, placed.refunded_pence) == (OrderStatus.REFUNDED, 156_000)


def test_a_basket_line_keeps_its_quoted_price_and_a_changed_quantity_is_quoted_afresh() -> None:
    basket = Basket(urn=SCHOOL.urn)
    line = basket.add(quote(unit_price_pence=50_000, quantity=1))
    assert line.line_id is not None
    changed = basket.change(line.line_id, quote(unit_price_pence=48_000, quantity=3))
    assert (changed.line_id, changed.quantity, changed.unit_price_pence) == (
        line.line_id,
        3,
        48_000,
    )
    assert (basket.amounts.net, basket.amounts.vat, basket.amounts.gross) == (
        144_000,
        28_800,
        172_800,
    )
    basket.remove(line.line_id)
    with pytest.raises(Invalid, match="the basket is empty"):
        basket.empty()
