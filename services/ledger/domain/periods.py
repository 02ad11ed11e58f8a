"""Period close: a closed month takes no more postings; what is dated in it goes to the next
open month, with a note saying so."""

from __future__ import annotations

from datetime import date


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def first_day_after(month: str) -> date:
    """The first day after the month (YYYY-MM)."""
    year, number = (int(part) for part in month.split("-"))
    return first_of_next_month(date(year, number, 1))


def posting_date(dated: date, closed: set[str]) -> tuple[date, str | None]:
    """The day a transaction dated `dated` is posted on, and the note if it had to move."""
    posted = dated
    while month_of(posted) in closed:
        posted = first_of_next_month(posted)
    if posted == dated:
        return dated, None
    return posted, (
        f"dated {dated.isoformat()} in closed period {month_of(dated)}; "
        f"posted in {month_of(posted)}"
    )
