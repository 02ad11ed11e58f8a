"""The two years the sector counts in: the financial year (April–March) and the academic year;
and the school terms a termly service renews by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def financial_year(day: date) -> str:
    """'2026-27' for any day from 1 April 2026 to 31 March 2027."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def academic_year(day: date) -> str:
    """'2026/27' for any day from 1 September 2026 to 31 August 2027."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def academic_years_overlapping(financial: str) -> tuple[str, str]:
    """The two academic years a financial year runs into: '2026-27' (April 2026 to March 2027)
    ends the academic year 2025/26 and starts 2026/27."""
    start = int(financial[:4])
    return academic_year(date(start, 4, 1)), academic_year(date(start + 1, 3, 31))


def financial_years_overlapping(academic: str) -> tuple[str, str]:
    """The two financial years an academic year runs into: '2026/27' (September 2026 to August
    2027) ends the financial year 2026-27 and starts 2027-28."""
    start = int(academic[:4])
    return financial_year(date(start, 9, 1)), financial_year(date(start + 1, 8, 31))


def academic_year_term(year: str) -> tuple[date, date]:
    """'2026/27' → 1 September 2026 to 31 August 2027."""
    start = int(year[:4])
    return date(start, 9, 1), date(start + 1, 8, 31)


def financial_year_term(year: str) -> tuple[date, date]:
    """'2026-27' → 1 April 2026 to 31 March 2027."""
    start = int(year[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def long_date(day: date) -> str:
    """A day as people read it on a page, a letter or an invoice: '3 December 2026'."""
    return f"{day.day} {day:%B %Y}"


def next_academic_year(year: str) -> str:
    """'2027/28' after '2026/27'."""
    start = int(year[:4]) + 1
    return f"{start}/{(start + 1) % 100:02d}"


def years_on_sale(today: date) -> tuple[str, str]:
    """This academic year and the next: the years a subscription may be bought for (a school
    in the spring buys next September's, or late for the year under way)."""
    this = academic_year(today)
    return this, next_academic_year(this)


# Autumn, spring (to Easter, taken as March's end) and summer: (first month, day, last month, day).
SCHOOL_TERMS = ((9, 1, 12, 31), (1, 1, 3, 31), (4, 1, 8, 31))


def rolling_period(day: date, every: str) -> tuple[date, date]:
    """The period under way on `day` of a service renewed every `every` ("term" or "year"): its
    school term, or its academic year. A rolling service bought that day pays for this period."""
    if every == "year":
        return academic_year_term(academic_year(day))
    for start_month, start_day, end_month, end_day in SCHOOL_TERMS:
        start, end = date(day.year, start_month, start_day), date(day.year, end_month, end_day)
        if start <= day <= end:
            return start, end
    raise AssertionError(f"{day} falls in no term")  # the terms cover the whole year


def period_after(period: tuple[date, date], every: str) -> tuple[date, date]:
    """The period a rolling service renews into once `period` ends."""
    return rolling_period(period[1] + timedelta(days=1), every)


def notice_deadline(period_end: date, notice_days: int) -> date:
    """The last day notice ends a rolling service with the period ending `period_end` (at
    least `notice_days` before it ends), so that it does not renew into the next."""
    return period_end - timedelta(days=notice_days)


def earliest_end(period: tuple[date, date], every: str, notice_days: int, day: date) -> date:
    """The first end, from `period`'s on, that notice given on `day` is in time for."""
    while day > notice_deadline(period[1], notice_days):
        period = period_after(period, every)
    return period[1]


@dataclass(frozen=True)
class RollingCommitment:
    """What buying a rolling service on a day commits the school to: the period it pays for
    now, the period it then renews into, and the last day notice stops that renewal. Once
    that day has passed, the period after is bought too: the school can end it no earlier
    than `ends_on_at_earliest`, giving notice by `then_notice_by` (which may fall before that
    period begins, when the notice is longer than what is left of a term)."""

    paid: tuple[date, date]
    renews_into: tuple[date, date]
    notice_by: date
    ends_on_at_earliest: date
    then_notice_by: date

    @property
    def commits_to_next(self) -> bool:
        return self.ends_on_at_earliest != self.paid[1]


def rolling_commitment(
    paid: tuple[date, date], *, every: str, notice_days: int, bought_on: date
) -> RollingCommitment:
    ends = earliest_end(paid, every, notice_days, bought_on)
    return RollingCommitment(
        paid=paid,
        renews_into=period_after(paid, every),
        notice_by=notice_deadline(paid[1], notice_days),
        ends_on_at_earliest=ends,
        then_notice_by=notice_deadline(ends, notice_days),
    )
