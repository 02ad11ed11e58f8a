"""A course session the catalogue called off: its lines are refunded in full, whatever the
days-before rule would say, and the order is cancelled if nothing else is left on it."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

from services.orders.domain.basket import Basket
from services.orders.domain.lines import Booking, ServiceType
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.states import OrderStatus, PaymentStatus
from tests.unit.test_orders_lifecycle import SCHOOL, TODAY, quote

SESSION = uuid4()


def course_order(method: PaymentMethod, *, also: bool = False, session: UUID = SESSION) -> Order:
    basket = Basket(urn=SCHOOL.urn)
    basket.add(
        quote(
            service_type=ServiceType.COURSE,
            quantity=2,
            unit_price_pence=30_000,
            session_id=session,
            delivery_on=TODAY + timedelta(days=3),  # inside the no-refund days
        )
    )
    if also:
        basket.add(quote(quantity=1))
    return Order.place(
        school=SCHOOL,
        lines=basket.empty(),
        payment_method=method,
        purchase_order="PO-9" if method is PaymentMethod.INVOICE else None,
        today=TODAY,
    )


def test_a_paid_card_booking_on_a_called_off_session_is_refunded_in_full_and_cancelled() -> None:
    placed = course_order(PaymentMethod.CARD)
    placed.await_card_payment("pi_9")
    assert placed.record_card_payment(payment_reference="pi_9", amount_pence=72_000)
    refunds = placed.withdraw_session(SESSION, TODAY)
    assert sum(r.amounts.gross for r in refunds) == 72_000
    assert (placed.status, placed.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.REFUNDED)
    assert placed.lines[0].booking is Booking.CANCELLED
    assert placed.withdraw_session(SESSION, TODAY) == []  # a repeat gives nothing more


def test_an_invoiced_booking_is_credited_in_full() -> None:
    placed = course_order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000009", today=TODAY, payment_days=30)
    placed.withdraw_session(SESSION, TODAY)
    assert placed.payment_status is PaymentStatus.CREDITED
    assert placed.invoice is not None and placed.invoice.credited_pence == 72_000


def test_other_lines_of_the_order_stand_and_only_the_course_is_credited() -> None:
    placed = course_order(PaymentMethod.INVOICE, also=True)
    placed.raise_invoice(number="INV-000010", today=TODAY, payment_days=30)
    placed.withdraw_session(SESSION, TODAY)
    assert placed.status is OrderStatus.PLACED
    assert placed.invoice is not None and placed.invoice.outstanding_pence == 78_000
    assert [line.booking for line in placed.lines] == [Booking.CANCELLED, None]


def test_an_order_for_another_session_is_untouched() -> None:
    placed = course_order(PaymentMethod.INVOICE, session=uuid4())
    placed.raise_invoice(number="INV-000011", today=TODAY, payment_days=30)
    assert placed.withdraw_session(SESSION, date(2027, 1, 1)) == []
    assert placed.payment_status is PaymentStatus.INVOICED
