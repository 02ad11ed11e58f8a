"""The arithmetic of the finance reports, on figures the book has already summed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from shared.calendar import financial_year, long_date
from shared.errors import Invalid
from shared.percentages import percent

AGE_BANDS = ("0-30", "31-60", "61-90", "90+")
_MOST_DAYS = (30, 60, 90)  # in each band but the last
PD_BAND_PERCENT = (2.0, 5.0)  # staff development as a share of income, as the case studies advise
BURN_MONTHS = 3  # the current net burn: the average of the last three whole months


# What every income figure counts, wherever it is shown (the dashboard's strands, months,
# services and accounts are all cut from this one quantity, so they add up to each other).
INCOME_COUNTS = "income recognised (earned), this financial year to the as-of date, before VAT"


def year_bounds(year: str) -> tuple[date, date]:
    """'2026-27' → 1 April 2026 to 31 March 2027."""
    start = int(year[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def year_to_date(as_of: date) -> tuple[date, date]:
    """The period an income figure counts: 1 April of `as_of`'s financial year to `as_of`."""
    return year_bounds(financial_year(as_of))[0], as_of


def in_order(start: date, end: date) -> date:
    """The start of a period that ends on `end` (today at the latest), refused if it comes after
    that end: such a period has no days, and read as months it counted days outside it."""
    if start > end:
        raise Invalid(
            f"the period would start on {long_date(start)}, after its end on {long_date(end)} "
            "(a report counts no further than today): give a start on or before its end",
            field="start",
        )
    return start


def up_to(year: str, as_of: date) -> tuple[date, date]:
    """A financial year, but no further than `as_of`: nothing is counted ahead of its day. A year
    that has not begun by `as_of` has no days to count, and is refused."""
    start, end = year_bounds(year)
    if as_of < start:
        raise Invalid(
            f"the financial year {year} has not begun on {long_date(as_of)}: "
            f"it begins on {long_date(start)}",
            field="financial_year",
        )
    return start, min(end, as_of)


def previous_year(financial_year: str) -> str:
    start = int(financial_year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def a_year_earlier(day: date) -> date:
    """The same day a year earlier; a month's last day is the last day of that month a year
    earlier (28 February 2029 → 29 February 2028), so that a period to a month's end is set
    beside the whole month, its month-end income included."""
    following = day + timedelta(days=1)
    if following.day == 1:
        return following.replace(year=following.year - 1) - timedelta(days=1)
    return day.replace(year=day.year - 1)


def whole_months_to(day: date, count: int) -> list[str]:
    """The last `count` months whole by the end of `day`, oldest first: its own month too when
    `day` is that month's last day (what is earned on a month's last day is in it by then)."""
    following = day + timedelta(days=1)
    year, month = following.year, following.month
    months = []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(f"{year}-{month:02d}")
    return sorted(months)


def age_band(days: int) -> str:
    for band, most in zip(AGE_BANDS, _MOST_DAYS, strict=False):
        if days <= most:
            return band
    return AGE_BANDS[-1]


def band_edges(as_of: date) -> list[tuple[str, date]]:
    """Each band but the last, with the earliest invoice day in it at `as_of` (what
    `age_band` says, for a database to count with)."""
    return [
        (band, as_of - timedelta(days=most))
        for band, most in zip(AGE_BANDS, _MOST_DAYS, strict=False)
    ]


@dataclass(frozen=True)
class OpenInvoice:
    urn: int | None  # the school that owes it, or None when a trust does
    document: str
    invoiced_on: date
    outstanding_pence: int  # less than nothing: the debtor is owed back (paid, then credited)
    trust_code: str | None = None  # a trust's order: the academy trust owes it


Debtor = tuple[int | None, str | None]  # (URN, None) for a school, (None, code) for a trust


def aged_debt(
    invoices: list[OpenInvoice],
    *,
    as_of: date,
    banded: dict[Debtor, dict[str, int]] | None = None,
) -> dict[Debtor, dict[str, int]]:
    """Debtor → pence outstanding in each age band (days since the invoice date), and in
    total, less what it is owed back; added to what was `banded` already (by band, for other
    invoices)."""
    by_school: dict[Debtor, dict[str, int]] = {}
    for debtor, bands in (banded or {}).items():
        row = by_school.setdefault(debtor, dict.fromkeys((*AGE_BANDS, "total"), 0))
        for band, pence in bands.items():
            row[band] += pence
            row["total"] += pence
    for invoice in invoices:
        if invoice.outstanding_pence == 0:
            continue
        debtor = (invoice.urn, invoice.trust_code)
        row = by_school.setdefault(debtor, dict.fromkeys((*AGE_BANDS, "total"), 0))
        row[age_band((as_of - invoice.invoiced_on).days)] += invoice.outstanding_pence
        row["total"] += invoice.outstanding_pence
    return by_school


def buy_back(
    buyers_by_phase: Counter[str], register_by_phase: Counter[str]
) -> dict[str, float | None]:
    """Share of the register's schools, phase by phase, that bought something this year."""
    return {
        phase: percent(buyers_by_phase.get(phase, 0), count)
        for phase, count in sorted(register_by_phase.items())
        if count
    }


def renewal_rate(this_year: set[int], last_year: set[int]) -> float | None:
    """Of the schools that bought last year, the share that bought again this year."""
    return percent(len(this_year & last_year), len(last_year))


def concentration(income_by_school: dict[int, int], *, top: int = 10) -> float | None:
    """Share of traded income that came from the `top` schools that paid most."""
    ranked = sorted(income_by_school.values(), reverse=True)
    return percent(sum(ranked[:top]), sum(ranked))


def pd_band(share: float | None) -> str:
    if share is None:
        return "no income"
    low, high = PD_BAND_PERCENT
    return "below" if share < low else "above" if share > high else "within"


def runway_months(reserves_pence: int, monthly_net_pence: list[int]) -> float | None:
    """Months the reserves last at the average monthly net burn (costs less income); None when
    the company is not burning reserves."""
    if not monthly_net_pence:
        return None
    burn = sum(monthly_net_pence) / len(monthly_net_pence)
    return round(reserves_pence / burn, 1) if burn > 0 else None
