"""The two years the sector counts in: the financial year (April–March) and the academic year;
and the school terms a termly service renews by."""

from __future__ import annotations

from datetime import date


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
