"""A course line that will not be delivered (its session called off, its offered places declined
or lapsed) is refunded in full, whatever the days-before rule would say, and the order is
cancelled if nothing else is left on it; an offer is accepted only while it is open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from services.orders.domain.basket import Basket, check_sessions_bookable
from services.orders.domain.lines import Booking, OrderLine, ServiceType
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.states import OrderStatus, PaymentStatus
from shared.clock import start_of
from shared.errors import Conflict
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
        now=start_of(TODAY),
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


def test_a_card_payment_made_before_the_processor_heard_it_was_voided_is_refunded_in_full() -> None:
    placed = course_order(PaymentMethod.CARD)
    placed.await_card_payment("pi_9")
    assert placed.withdraw_session(SESSION, TODAY) == []  # nothing was paid
    assert placed.payment_status is PaymentStatus.VOID

    assert placed.take_voided_payment(payment_reference="pi_9", amount_pence=72_000)
    paid = (placed.payment_status, placed.paid_pence, placed.refunded_pence)
    assert paid == (PaymentStatus.REFUNDED, 72_000, 72_000)
    assert [refund.amounts.gross for refund in placed.refunds] == [72_000]
    assert not placed.take_voided_payment(payment_reference="pi_9", amount_pence=72_000)
    assert placed.refunded_pence == 72_000  # taken once


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


EXPIRES = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def offered_order() -> Order:
    placed = course_order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000012", today=TODAY, payment_days=30)
    line_id = placed.lines[0].line_id
    assert line_id is not None
    placed.book(line_id, Booking.OFFERED, expires_at=EXPIRES)
    return placed


def test_an_offer_is_accepted_until_the_moment_it_expires_and_not_at_it() -> None:
    placed = offered_order()
    line_id = placed.lines[0].line_id
    assert line_id is not None
    with pytest.raises(Conflict, match="the offer expired at 17:00 on 4 December 2026"):
        placed.accept_offer(line_id, EXPIRES)
    placed.accept_offer(line_id, EXPIRES - timedelta(microseconds=1))
    assert placed.lines[0].booking is Booking.RESERVED


def test_an_expired_offer_names_its_moment_as_england_s_clocks_showed_it() -> None:
    placed = course_order(PaymentMethod.INVOICE)
    placed.raise_invoice(number="INV-000013", today=TODAY, payment_days=30)
    line_id = placed.lines[0].line_id
    assert line_id is not None
    summer = datetime(2026, 6, 4, 23, 30, tzinfo=UTC)  # British Summer Time
    placed.book(line_id, Booking.OFFERED, expires_at=summer)
    with pytest.raises(Conflict, match="the offer expired at 00:30 on 5 June 2026"):
        placed.accept_offer(line_id, summer)


def test_a_declined_offer_three_days_before_the_course_is_credited_in_full() -> None:
    placed = offered_order()
    line_id = placed.lines[0].line_id
    assert line_id is not None
    refunds = placed.decline_offer(line_id, TODAY)
    assert [refund.rule for refund in refunds] == ["the places offered were declined: full refund"]
    assert placed.payment_status is PaymentStatus.CREDITED
    with pytest.raises(Conflict):
        placed.accept_offer(line_id, EXPIRES - timedelta(hours=1))


def basket_lines(*days_ahead: int) -> list[OrderLine]:
    """A basket of a consultancy day, then a course line on a session so many days ahead for
    each of `days_ahead`."""
    basket = Basket(urn=SCHOOL.urn)
    basket.add(quote(quantity=1))
    for days in days_ahead:
        basket.add(
            quote(
                service_type=ServiceType.COURSE,
                title="Phonics leadership",
                session_id=uuid4(),
                delivery_on=TODAY + timedelta(days=days),
            )
        )
    return basket.lines


def test_a_basket_s_course_lines_are_checked_out_only_while_their_session_can_be_booked() -> None:
    check_sessions_bookable(basket_lines(1, 30), today=TODAY, called_off=set(), years_sold={})
    for days in (0, -2):  # on the day it runs, or after
        with pytest.raises(Conflict) as refused:
            check_sessions_bookable(
                basket_lines(30, days), today=TODAY, called_off=set(), years_sold={}
            )
        assert refused.value.field == "lines.2.session_id"
        assert "can no longer be booked; remove it from the basket" in refused.value.message
    lines = basket_lines(30)
    called_off = lines[1].session_id
    assert called_off is not None
    with pytest.raises(Conflict) as refused:
        check_sessions_bookable(lines, today=TODAY, called_off={called_off}, years_sold={})
    assert (refused.value.field, refused.value.message) == (
        "lines.1.session_id",
        "Phonics leadership: the session on 1 January 2027 has been cancelled; "
        "remove it from the basket",
    )


def test_a_basket_s_course_line_in_a_year_its_course_is_no_longer_sold_for_is_refused() -> None:
    lines = basket_lines(30)  # a session on 1 January 2027, in 2026/27
    course = lines[1].service_id
    for sold in ({}, {course: ()}, {course: ("2026/27", "2027/28")}):
        check_sessions_bookable(lines, today=TODAY, called_off=set(), years_sold=sold)
    with pytest.raises(Conflict) as refused:
        check_sessions_bookable(
            lines, today=TODAY, called_off=set(), years_sold={course: ("2027/28",)}
        )
    assert (refused.value.field, refused.value.message) == (
        "lines.1.session_id",
        "Phonics leadership: the session on 1 January 2027 is in 2026/27, and the course is now "
        "sold only for 2027/28; remove it from the basket",
    )
