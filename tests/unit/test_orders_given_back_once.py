"""A line given back (its session called off) is refunded or credited once: cancelling the order
afterwards gives back only the lines still on it, and books nothing against the line gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from services.orders.domain.lines import Booking, OrderLine, ServiceType
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.refunds import ALL_IN_REFUNDS, NO_PLACE_CAME, CardRefunds
from services.orders.domain.states import PaymentStatus
from shared.clock import start_of
from tests.unit.test_orders_lifecycle import SCHOOL, TODAY, quote


def two_courses(method: PaymentMethod) -> tuple[Order, OrderLine]:
    """Two courses of £120 each, both eight weeks away (a full refund by the rules), charged;
    the first, whose session the test calls off, is returned too."""
    lines = [
        OrderLine.quoted(
            quote(
                title=title,
                service_type=ServiceType.COURSE,
                quantity=1,
                unit_price_pence=10_000,
                session_id=uuid4(),
                delivery_on=TODAY + timedelta(days=56),
            )
        )
        for title in ("Phonics", "Maths mastery")
    ]
    placed = Order.place(
        school=SCHOOL,
        lines=lines,
        payment_method=method,
        purchase_order="PO-7",
        now=start_of(TODAY),
    )
    if method is PaymentMethod.INVOICE:
        placed.raise_invoice(number="INV-000070", today=TODAY, payment_days=30)
    else:
        placed.await_card_payment("pi_7")
        placed.record_card_payment(payment_reference="pi_7", amount_pence=24_000)
    return placed, lines[0]


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_cancelling_after_a_line_was_given_back_gives_back_only_the_rest(
    method: PaymentMethod,
) -> None:
    placed, called_off = two_courses(method)
    assert called_off.session_id is not None
    assert sum(r.amounts.gross for r in placed.withdraw_session(called_off.session_id, TODAY)) == (
        12_000
    )

    refunds = placed.cancel(TODAY)

    assert [(r.line.title, r.amounts.gross) for r in refunds] == [("Maths mastery", 12_000)]
    if placed.invoice is not None:
        assert placed.invoice.credited_pence == 24_000
        assert placed.invoice.owed_to_school_pence == 0
    else:
        assert (placed.refunded_pence, placed.payment_status) == (24_000, PaymentStatus.REFUNDED)


def test_what_cancelling_would_give_back_is_what_cancelling_gives_back() -> None:
    placed, _ = two_courses(PaymentMethod.INVOICE)
    later = TODAY + timedelta(days=46)  # ten days before: half back

    preview = placed.cancellation(later)

    assert placed.invoice is not None and placed.invoice.credited_pence == 0
    assert [(r.amounts.gross, r.rule) for r in preview] == [
        (6_000, "10 days before it runs: half refunded")
    ] * 2
    assert placed.cancel(later) == preview


def test_before_anything_is_paid_cancelling_would_give_nothing_back() -> None:
    placed = Order.place(
        school=SCHOOL,
        lines=[OrderLine.quoted(quote())],
        payment_method=PaymentMethod.CARD,
        purchase_order=None,
        now=start_of(TODAY),
    )
    placed.await_card_payment("pi_8")
    [preview] = placed.cancellation(TODAY)
    assert (preview.amounts.gross, preview.rule) == (
        0,
        "nothing paid or invoiced yet: nothing to give back",
    )


def a_course_now_and_one_later() -> Order:
    """Two courses of £120 each, paid £240 by card: the first 30 days away (a full refund by
    the rules), the second 3 days away (nothing back)."""
    lines = [
        OrderLine.quoted(
            quote(
                title=title,
                service_type=ServiceType.COURSE,
                quantity=1,
                unit_price_pence=10_000,
                session_id=uuid4(),
                delivery_on=TODAY + timedelta(days=days),
            )
        )
        for title, days in (("Phonics", 30), ("Maths mastery", 3))
    ]
    placed = Order.place(
        school=SCHOOL,
        lines=lines,
        payment_method=PaymentMethod.CARD,
        purchase_order=None,
        now=start_of(TODAY),
    )
    placed.await_card_payment("pi_8")
    placed.record_card_payment(payment_reference="pi_8", amount_pence=24_000)
    return placed


def test_a_card_refund_made_before_counts_against_what_cancelling_gives_back() -> None:
    placed = a_course_now_and_one_later()
    [refunded] = placed.refund(12_000)  # finance, from the order's page
    assert (refunded.line.title, refunded.amounts.gross) == ("Phonics", 12_000)

    preview = placed.cancellation(TODAY)
    refunds = placed.cancel(TODAY)

    assert refunds == []  # Phonics went back already; Maths mastery runs in 3 days
    assert [(r.line.title, r.amounts.gross) for r in preview] == [
        ("Phonics", 0),
        ("Maths mastery", 0),
    ]
    assert (
        preview[0].rule == "30 days before it runs: full refund, less £120.00 of an earlier refund"
    )
    assert (placed.refunded_pence, placed.payment_status) == (12_000, PaymentStatus.PARTLY_REFUNDED)


def test_refunds_of_an_amount_fill_the_lines_in_turn_never_a_line_twice() -> None:
    placed = a_course_now_and_one_later()

    first = placed.refund(10_000)
    second = placed.refund(10_000)

    assert [(r.line.title, r.amounts.gross) for r in first] == [("Phonics", 10_000)]
    assert [(r.line.title, r.amounts.gross) for r in second] == [
        ("Phonics", 2_000),
        ("Maths mastery", 8_000),
    ]
    assert [(r.amounts.net, r.amounts.vat) for r in second] == [(1_667, 333), (6_667, 1_333)]


def test_cancelling_after_a_full_refund_says_nothing_is_left_to_give_back() -> None:
    """It said "nothing paid or invoiced yet", though the school had paid and been refunded."""
    placed, _ = two_courses(PaymentMethod.CARD)
    placed.refund(24_000)
    being_made = placed.cancellation(TODAY)  # the refund is still to be made by Stripe
    placed.card_refunds = CardRefunds(made_pence=24_000)  # as read once Stripe has made it

    preview = placed.cancellation(TODAY)

    assert [(r.amounts.gross, r.rule) for r in preview] == [
        (0, "the payment was already refunded in full: nothing left to give back")
    ] * 2
    assert [(r.amounts.gross, r.rule) for r in being_made] == [(0, ALL_IN_REFUNDS)] * 2


def test_a_line_given_back_whole_is_withdrawn_unless_its_school_keeps_the_service() -> None:
    """Evaluation counts a school taking part in a service until a line of it is given back
    whole with nothing else of that service left to the school on the order."""
    placed, called_off = two_courses(PaymentMethod.INVOICE)
    assert called_off.session_id is not None
    assert not placed.withdrawn(called_off)  # still on the order
    placed.withdraw_session(called_off.session_id, TODAY)
    assert placed.withdrawn(called_off)

    again, first = two_courses(PaymentMethod.INVOICE)
    same_service = replace(again.lines[1], service_id=first.service_id)
    again.lines[1] = same_service  # a second session of the same course
    assert first.session_id is not None
    again.withdraw_session(first.session_id, TODAY)
    assert not again.withdrawn(first)  # the school still takes that course


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_a_line_still_waiting_when_the_waiting_list_closes_is_given_back_once(
    method: PaymentMethod,
) -> None:
    placed, waiting = two_courses(method)
    held = placed.lines[1]
    assert waiting.line_id is not None and held.line_id is not None
    placed.book(waiting.line_id, Booking.WAITING, position=1)
    placed.book(held.line_id, Booking.RESERVED)

    given = placed.waiting_list_closed(waiting.line_id, TODAY)
    again = placed.waiting_list_closed(waiting.line_id, TODAY)
    kept = placed.waiting_list_closed(held.line_id, TODAY)  # it holds its places

    assert [(r.line.title, r.amounts.gross, r.rule) for r in given] == [
        ("Phonics", 12_000, NO_PLACE_CAME)
    ]
    assert (again, kept) == ([], [])
    assert [line.booking for line in placed.lines] == [Booking.UNPLACED, Booking.RESERVED]
