"""The order's two state machines, its own and its money's: what may follow what, and what is
refused with a reason."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.orders.domain.basket import Basket
from services.orders.domain.lines import Quote, ServiceType
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.school import School
from services.orders.domain.states import (
    ORDER_ALLOWED,
    PAYMENT_ALLOWED,
    OrderStatus,
    PaymentStatus,
)
from shared.calendar import long_date
from shared.clock import start_of
from shared.errors import Conflict, Invalid
from shared.money import VatRate
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED

TODAY = date(2026, 12, 2)
SCHOOL = School(**ABBOTS_LANGLEY_AS_REGISTERED, pupils=420)


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
        now=start_of(TODAY),
    )


def paid_card_order() -> Order:
    placed = order()
    placed.await_card_payment("pi_1")
    assert placed.record_card_payment(payment_reference="pi_1", amount_pence=156_000)
    return placed


def test_a_card_order_is_paid_once_and_a_repeat_changes_nothing() -> None:
    placed = paid_card_order()
    assert (placed.status, placed.payment_status) == (OrderStatus.PLACED, PaymentStatus.PAID)
    assert placed.paid_pence == 156_000
    assert not placed.record_card_payment(payment_reference="pi_1", amount_pence=156_000)
    assert placed.paid_pence == 156_000


def test_a_payment_of_the_wrong_amount_does_not_pay_the_order() -> None:
    placed = order()
    placed.await_card_payment("pi_1")
    with pytest.raises(Invalid, match=re.escape("owed £1,560.00")):
        placed.record_card_payment(payment_reference="pi_1", amount_pence=100)
    assert placed.payment_status is PaymentStatus.AWAITING_PAYMENT


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (OrderStatus.FULFILLED, OrderStatus.PLACED),
        (OrderStatus.CANCELLED, OrderStatus.FULFILLED),
        (OrderStatus.CANCELLED, OrderStatus.PLACED),
    ],
)
def test_an_illegal_order_transition_is_refused_with_a_message_naming_both_states(
    start: OrderStatus, to: OrderStatus
) -> None:
    placed = order()
    placed.status = start
    with pytest.raises(Conflict) as refused:
        placed.move(to)
    assert refused.value.message == f"an order that is {start.value} cannot become {to.value}"
    assert placed.status is start


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (PaymentStatus.NOT_ASKED, PaymentStatus.PAID),
        (PaymentStatus.AWAITING_PAYMENT, PaymentStatus.REFUNDED),
        (PaymentStatus.INVOICED, PaymentStatus.REFUNDED),
        (PaymentStatus.PAID, PaymentStatus.AWAITING_PAYMENT),
        (PaymentStatus.VOID, PaymentStatus.REFUNDED),
        (PaymentStatus.REFUNDED, PaymentStatus.PAID),
        (PaymentStatus.CREDITED, PaymentStatus.PAID),
    ],
)
def test_an_illegal_payment_transition_is_refused_with_a_message_naming_both_states(
    start: PaymentStatus, to: PaymentStatus
) -> None:
    placed = order()
    placed.payment_status = start
    with pytest.raises(Conflict) as refused:
        placed.move_payment(to)
    assert refused.value.message == f"a payment that is {start.value} cannot become {to.value}"
    assert (refused.value.field, placed.payment_status) == ("payment_status", start)


def test_every_state_names_where_it_may_go_and_the_end_states_go_nowhere() -> None:
    assert set(ORDER_ALLOWED) == set(OrderStatus)
    assert set(PAYMENT_ALLOWED) == set(PaymentStatus)
    assert ORDER_ALLOWED[OrderStatus.CANCELLED] == frozenset()
    ends = (PaymentStatus.REFUNDED, PaymentStatus.CREDITED)
    assert all(PAYMENT_ALLOWED[end] == frozenset() for end in ends)
    # a voided payment goes nowhere but paid: made before the card processor heard of the void
    assert PAYMENT_ALLOWED[PaymentStatus.VOID] == frozenset({PaymentStatus.PAID})


def test_an_order_on_invoice_terms_is_fulfilled_before_it_is_paid_and_paid_after() -> None:
    placed = order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000001", today=TODAY, payment_days=30)
    placed.fulfil(TODAY)
    assert (placed.status, placed.payment_status) == (OrderStatus.FULFILLED, PaymentStatus.INVOICED)
    placed.record_remittance(156_000, received_on=TODAY)
    assert (placed.status, placed.payment_status) == (OrderStatus.FULFILLED, PaymentStatus.PAID)


def test_a_card_order_is_not_fulfilled_before_it_is_paid() -> None:
    placed = order()
    placed.await_card_payment("pi_1")
    with pytest.raises(Conflict, match="whose payment is awaiting_payment cannot be fulfilled"):
        placed.fulfil(TODAY)
    assert placed.status is OrderStatus.PLACED


def test_a_part_refund_leaves_a_fulfilled_order_fulfilled_and_its_payment_partly_refunded() -> None:
    placed = paid_card_order()
    placed.fulfil(TODAY)
    placed.refund(16_000)
    assert (placed.status, placed.payment_status) == (
        OrderStatus.FULFILLED,
        PaymentStatus.PARTLY_REFUNDED,
    )


def test_cancelling_an_invoice_order_credits_it_and_what_is_still_owed_can_be_paid() -> None:
    subscription = quote(
        service_type=ServiceType.SUBSCRIPTION, quantity=1, unit_price_pence=120_000
    )
    basket = Basket(urn=SCHOOL.urn)
    basket.add(subscription, term=(date(2026, 9, 1), date(2027, 8, 31)))
    placed = Order.place(
        school=SCHOOL,
        lines=basket.empty(),
        payment_method=PaymentMethod.INVOICE,
        purchase_order="PO-1",
        now=start_of(TODAY),
    )
    placed.raise_invoice(number="INV-000002", today=TODAY, payment_days=30)
    placed.cancel(TODAY)  # January to August unused: 8 of 12 months credited
    assert placed.invoice is not None and placed.invoice.outstanding_pence == 48_000
    assert (placed.status, placed.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.INVOICED)
    placed.record_remittance(48_000, received_on=TODAY)
    assert placed.payment_status is PaymentStatus.PAID


def test_an_invoice_credited_in_full_before_payment_is_credited() -> None:
    placed = order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000003", today=TODAY, payment_days=30)
    placed.cancel(TODAY)  # consultancy not yet delivered: all of it
    assert placed.payment_status is PaymentStatus.CREDITED
    with pytest.raises(Conflict, match="a payment that is credited takes no remittance"):
        placed.record_remittance(1, received_on=TODAY)


def status_after_remittance(placed: Order, pence: int) -> PaymentStatus:
    # Read through a call: an assert on the attribute itself would pin its type, for mypy,
    # to the status asserted first.
    placed.record_remittance(pence, received_on=TODAY)
    return placed.payment_status


def test_an_unpaid_invoice_takes_part_payments_until_nothing_is_owed() -> None:
    placed = order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000001", today=TODAY, payment_days=30)
    assert status_after_remittance(placed, 56_000) is PaymentStatus.PARTLY_PAID
    with pytest.raises(Invalid, match=re.escape("at most the £1,000.00 outstanding")):
        placed.record_remittance(100_001, received_on=TODAY)
    assert status_after_remittance(placed, 100_000) is PaymentStatus.PAID
    assert placed.invoice is not None and placed.invoice.outstanding_pence == 0


def test_refunds_never_exceed_what_was_paid() -> None:
    placed = paid_card_order()
    placed.refund(56_000)
    assert placed.payment_status is PaymentStatus.PARTLY_REFUNDED
    with pytest.raises(Invalid, match=re.escape("at most the £1,000.00 paid and not yet refunded")):
        placed.refund(100_001)
    placed.refund(100_000)
    assert (placed.payment_status, placed.refunded_pence) == (PaymentStatus.REFUNDED, 156_000)
    with pytest.raises(Invalid):
        placed.refund(1)


def test_cancelling_an_unpaid_card_order_refunds_nothing() -> None:
    placed = order()
    placed.await_card_payment("pi_1")
    assert placed.cancel(TODAY) == []
    assert (placed.status, placed.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.VOID)
    with pytest.raises(Conflict):
        placed.cancel(TODAY)


def test_cancelling_a_paid_undelivered_order_refunds_it_in_full() -> None:
    placed = paid_card_order()
    refunds = placed.cancel(TODAY)
    assert sum(found.amounts.gross for found in refunds) == 156_000
    assert (placed.status, placed.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.REFUNDED)
    assert placed.refunded_pence == 156_000


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


def test_a_remittance_dated_before_its_invoice_was_issued_is_refused() -> None:
    placed = order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000001", today=TODAY, payment_days=30)
    with pytest.raises(Invalid, match=f"before its invoice was issued, on {long_date(TODAY)}"):
        placed.record_remittance(1_000, received_on=TODAY - timedelta(days=1))
    assert placed.invoice is not None and placed.invoice.paid_pence == 0
    assert status_after_remittance(placed, 1_000) is PaymentStatus.PARTLY_PAID  # on its day
