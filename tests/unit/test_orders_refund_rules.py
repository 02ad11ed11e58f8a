"""Refund rules per service type, at their edges."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.orders.domain.lines import Booking, OrderLine, ServiceType
from services.orders.domain.refunds import allocate, full_refund, line_refund, months_between
from shared.calendar import academic_year_term
from shared.money import VatRate

RUNS_ON = date(2027, 3, 15)


def course(*, delivery_on: date = RUNS_ON, unit_price_pence: int = 59_999) -> OrderLine:
    return OrderLine(
        service_id=uuid4(),
        title="Middle leadership programme",
        service_type=ServiceType.COURSE,
        category="CPD and leadership",
        price_version=1,
        quantity=2,
        unit_price_pence=unit_price_pence,
        vat_rate=VatRate.STANDARD,
        session_id=uuid4(),
        delivery_on=delivery_on,
    )


def subscription(year: str = "2026/27", unit_price_pence: int = 325_000) -> OrderLine:
    start, end = academic_year_term(year)
    return OrderLine(
        service_id=uuid4(),
        title="School improvement partner package (primary)",
        service_type=ServiceType.SUBSCRIPTION,
        category="School improvement",
        price_version=1,
        quantity=1,
        unit_price_pence=unit_price_pence,
        vat_rate=VatRate.STANDARD,
        term_start=start,
        term_end=end,
    )


@pytest.mark.parametrize(
    ("days_before", "share"),
    [(30, 1), (14, 1), (13, 0.5), (7, 0.5), (6, 0), (0, 0), (-3, 0)],
)
def test_a_course_refunds_in_full_until_14_days_before_half_until_7_then_nothing(
    days_before: int, share: float
) -> None:
    line = course()
    refund = line_refund(line, today=RUNS_ON - timedelta(days=days_before), fulfilled=False)
    assert refund.amounts.net == int(line.amounts.net * share)
    assert refund.amounts.vat == round(refund.amounts.net * 0.2 + 1e-9)
    assert f"{days_before} days before" in refund.rule


@pytest.mark.parametrize("days_before", [13, 5, 0])
def test_places_still_on_the_waiting_list_are_refunded_in_full_however_late(
    days_before: int,
) -> None:
    waiting = course().booked(Booking.WAITING, position=2)
    refund = line_refund(waiting, today=RUNS_ON - timedelta(days=days_before), fulfilled=False)
    assert refund.amounts == waiting.amounts
    assert refund.rule == "still on the waiting list: full refund"


@pytest.mark.parametrize("days_before", [13, 5, 0])
def test_places_offered_and_not_yet_taken_are_refunded_in_full_as_declining_them_would_be(
    days_before: int,
) -> None:
    offered = course().booked(Booking.OFFERED)
    refund = line_refund(offered, today=RUNS_ON - timedelta(days=days_before), fulfilled=False)
    assert refund.amounts == offered.amounts
    assert refund.rule == "places offered, not yet taken: full refund"


@pytest.mark.parametrize("booking", [Booking.REQUESTED, Booking.RESERVED])
def test_a_place_held_or_asked_for_keeps_the_days_before_rule(booking: Booking) -> None:
    line = course().booked(booking)
    refund = line_refund(line, today=RUNS_ON - timedelta(days=5), fulfilled=False)
    assert refund.amounts.net == 0


def test_half_of_an_odd_number_of_pence_rounds_down_so_never_more_than_half() -> None:
    line = course(unit_price_pence=33_333)  # 2 × £333.33 = £666.66 net; half is £333.33
    odd = OrderLine(**{**line.__dict__, "quantity": 1})  # £333.33: half is 16,666.5p
    refund = line_refund(odd, today=RUNS_ON - timedelta(days=10), fulfilled=False)
    assert refund.amounts.net == 16_666
    assert refund.amounts.vat == 3_333  # 20% of £166.66 is £33.332


@pytest.mark.parametrize(
    ("cancelled_on", "months_unused"),
    [
        (date(2026, 8, 31), 12),  # before the term starts: all of it
        (date(2026, 9, 1), 11),  # September has begun: it is used
        (date(2026, 11, 15), 9),  # December to August
        (date(2026, 11, 30), 9),
        (date(2026, 12, 1), 8),
        (date(2027, 7, 31), 1),  # only August left
        (date(2027, 8, 1), 0),
        (date(2027, 9, 30), 0),  # after the term
    ],
)
def test_a_subscription_refunds_pro_rata_by_whole_months_unused(
    cancelled_on: date, months_unused: int
) -> None:
    line = subscription()
    refund = line_refund(line, today=cancelled_on, fulfilled=False)
    # £3,250 is 27,083⅓p a month: the ledger earns 27,083p in September to April and 27,084p
    # in May to August, and the refund gives back what its unused months would have earned
    assert refund.amounts.net == 27_083 * months_unused + min(months_unused, 4)
    assert refund.rule == f"{months_unused} of 12 months unused"


@pytest.mark.parametrize(
    ("cancelled_on", "gives_back"),
    [
        (date(2026, 8, 20), (date(2026, 9, 1), date(2027, 8, 31))),  # before it began: all
        (date(2026, 9, 1), (date(2026, 10, 1), date(2027, 8, 31))),
        (date(2027, 2, 15), (date(2027, 3, 1), date(2027, 8, 31))),  # six months unused
        (date(2027, 7, 31), (date(2027, 8, 1), date(2027, 8, 31))),
    ],
)
def test_a_subscription_refund_covers_just_the_months_it_pays_back(
    cancelled_on: date, gives_back: tuple[date, date]
) -> None:
    refund = line_refund(subscription(), today=cancelled_on, fulfilled=False)
    assert refund.term == gives_back
    assert refund.rule.startswith(f"{months_between(*gives_back)} of 12")


def test_a_refund_not_counted_in_months_covers_the_whole_term_or_none() -> None:
    assert full_refund(subscription(), "called off").term == academic_year_term("2026/27")
    assert allocate(1_200, [subscription()])[0].term == academic_year_term("2026/27")
    assert line_refund(course(), today=RUNS_ON, fulfilled=False).term == (None, None)


def test_a_consultancy_day_without_a_date_refunds_until_it_is_delivered() -> None:
    line = OrderLine(
        **{**course().__dict__, "service_type": ServiceType.CONSULTANCY, "delivery_on": None}
    )
    assert line_refund(line, today=RUNS_ON, fulfilled=False).amounts == line.amounts
    assert line_refund(line, today=RUNS_ON, fulfilled=True).amounts.gross == 0


def test_months_between_counts_calendar_months_inclusive() -> None:
    assert months_between(date(2026, 9, 1), date(2027, 8, 31)) == 12
    assert months_between(date(2027, 8, 1), date(2027, 8, 31)) == 1
    assert months_between(date(2027, 9, 1), date(2027, 8, 31)) == 0


def test_a_refund_of_an_amount_is_spread_over_lines_without_exceeding_any() -> None:
    first, second = course(), subscription()
    parts = allocate(first.amounts.gross + 1_200, [first, second])
    assert parts[0].amounts == first.amounts
    assert parts[1].amounts.gross == 1_200
    assert parts[1].amounts.vat == 200  # in the line's own 20% proportion
    assert sum(part.amounts.gross for part in parts) == first.amounts.gross + 1_200
