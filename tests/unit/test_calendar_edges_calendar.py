"""The two years the sector counts in, and England's day of a moment, at their edges: every day
of 2027 to 2030 (leap day included) falls in the financial and academic year named for it, and
a moment either side of the clocks changing falls on England's day, not the machine's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.calendar import (
    academic_year,
    academic_year_term,
    academic_years_overlapping,
    financial_year,
    financial_year_term,
    financial_years_overlapping,
)
from shared.clock import ENGLAND, Clock, business_day, start_of

# The last Sundays of March and October: the clocks go forward, then back, at 01:00 UTC.
CLOCKS_CHANGE = [date(2027, 3, 28), date(2027, 10, 31), date(2028, 3, 26), date(2028, 10, 29)]


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_every_day_falls_in_the_years_named_for_it() -> None:
    for day in every_day(date(2027, 1, 1), date(2030, 12, 31)):
        financial, academic = financial_year(day), academic_year(day)
        first, last = financial_year_term(financial)
        assert first <= day <= last
        assert (first.month, first.day, last.month, last.day) == (4, 1, 3, 31)
        first, last = academic_year_term(academic)
        assert first <= day <= last
        assert (first.month, first.day, last.month, last.day) == (9, 1, 8, 31)
        assert academic in academic_years_overlapping(financial)
        assert financial in financial_years_overlapping(academic)


def test_the_years_turn_on_the_first_of_april_and_of_september() -> None:
    assert financial_year(date(2028, 3, 31)) == "2027-28"
    assert financial_year(date(2028, 4, 1)) == "2028-29"
    assert academic_year(date(2028, 8, 31)) == "2027/28"
    assert academic_year(date(2028, 9, 1)) == "2028/29"
    assert financial_year(date(2028, 2, 29)) == "2027-28"
    assert academic_year(date(2028, 2, 29)) == "2027/28"


def test_a_day_begins_at_england_s_midnight_either_side_of_the_clocks_changing() -> None:
    for changing in CLOCKS_CHANGE:
        for day in (changing - timedelta(days=1), changing, changing + timedelta(days=1)):
            begins = start_of(day)
            assert business_day(begins) == day
            assert business_day(begins - timedelta(microseconds=1)) == day - timedelta(days=1)
            assert start_of(day + timedelta(days=1)) - begins in (
                timedelta(hours=23),
                timedelta(hours=24),
                timedelta(hours=25),
            )


def test_half_past_midnight_on_1_april_in_summer_time_is_1_april_in_the_new_year() -> None:
    moment = datetime(2028, 3, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 April in England
    assert business_day(moment) == date(2028, 4, 1)
    assert financial_year(business_day(moment)) == "2028-29"


@given(
    day=st.sampled_from(CLOCKS_CHANGE) | st.dates(date(2027, 1, 1), date(2030, 12, 31)),
    system=st.datetimes(datetime(2027, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))
    | st.sampled_from(
        [
            datetime.combine(changing, time(hour, minute), tzinfo=UTC)
            for changing in CLOCKS_CHANGE
            for hour in (0, 1, 2)
            for minute in (0, 30, 59)
        ]
    ),
)
def test_on_a_day_set_the_moment_is_on_that_day_in_england(day: date, system: datetime) -> None:
    clock = Clock(day, system=lambda: system)
    assert clock.today() == day
    assert business_day(clock.now()) == day
    assert clock.now().astimezone(ENGLAND).date() == day
