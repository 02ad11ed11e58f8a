"""The demo's commissioning dates, seeded on any day: the LA contract runs for the financial
year under way, and each quarter's monitoring report falls due on the last day of its quarter
(the third was due on 30 December, a day before its quarter ended)."""

from __future__ import annotations

from datetime import date, timedelta

from services.seed.commissioning import quarter_ends
from shared.calendar import financial_year, financial_year_term


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_each_quarter_s_report_is_due_on_its_last_day_whatever_day_the_demo_is_seeded() -> None:
    for today in every_day(date(2027, 1, 1), date(2029, 12, 31)):
        start, end = financial_year_term(financial_year(today))
        dues = quarter_ends(start.year)
        assert [due.month for due in dues] == [6, 9, 12]
        for due in dues:
            assert start <= due <= end
            assert (due + timedelta(days=1)).day == 1  # the last day of its month


def test_the_third_quarter_ends_on_31_december() -> None:
    assert quarter_ends(2027) == (date(2027, 6, 30), date(2027, 9, 30), date(2027, 12, 31))
