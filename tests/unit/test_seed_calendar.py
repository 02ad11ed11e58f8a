"""The demo is seeded for the day it is seeded on: its courses run ahead of it, in years the
catalogue sells, and its subscriptions are sold for this academic year and the next (it sold
2026/27 alone, with sessions from 11 January 2027, whenever it was seeded)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.seed.catalogue import DECIDED_DAYS_BEFORE, SeedCalendar
from shared.calendar import academic_year


@given(today=st.dates(date(2026, 1, 1), date(2040, 12, 31)))
def test_every_seeded_session_is_ahead_in_a_year_the_catalogue_sells(today: date) -> None:
    calendar = SeedCalendar.from_today(today)
    assert calendar.years[0] == academic_year(today)
    assert calendar.first_session.weekday() == 0  # a Monday
    assert timedelta(weeks=5) <= calendar.first_session - today < timedelta(weeks=6)
    for course in range(13):  # catalogue.csv's courses, each a week after the one before
        for term in range(2):
            day = calendar.session_on(course, term)
            assert academic_year(day) in calendar.years
            assert day - timedelta(days=DECIDED_DAYS_BEFORE) > today


def test_seeded_today_the_demo_is_as_it_was_written() -> None:
    calendar = SeedCalendar.from_today(date(2026, 12, 6))
    assert calendar.first_session == date(2027, 1, 11)
    assert calendar.years == ("2026/27", "2027/28")
