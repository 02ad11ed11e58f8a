"""The annual buy-back: last year's subscriptions, renewed for next year at next year's prices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order
from services.orders.domain.school import School
from shared.calendar import academic_year, academic_year_term, long_date
from shared.errors import Invalid


@dataclass(frozen=True)
class RenewalWindow:
    opens_days_before: int  # the window opens this many days before the year starts
    closes_days_after: int  # and closes this many days after

    def check_open(self, year: str, today: date) -> None:
        start, _ = academic_year_term(year)
        opens = start - timedelta(days=self.opens_days_before)
        closes = start + timedelta(days=self.closes_days_after)
        if not opens <= today <= closes:
            raise Invalid(
                f"renewals for {year} are open from {long_date(opens)} to {long_date(closes)}",
                field="year",
            )


def renews_in(line: OrderLine, year: str) -> bool:
    """Whether a subscription's line is one the academic year's buy-back renews (or renewed):
    a year sold by the academic year, or a financial year that ends in it."""
    return line.term_end is not None and academic_year(line.term_end) == year


def renewed_by_its_trust(order: Order, school: School) -> bool:
    """Whether the trust that placed `order` renews what it bought for `school`: only while the
    register has the school in that trust. The school renews the rest itself: its own orders'
    subscriptions, and a trust's once it has left that trust (for none, or for another trust,
    which renews only what it bought)."""
    return school.in_trust(order.trust_code)


def previous_year(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def check_year(year: str) -> str:
    if len(year) != 7 or year[4] != "/" or not (year[:4] + year[5:]).isdigit():
        raise Invalid("an academic year looks like 2027/28", field="year")
    if (int(year[:4]) + 1) % 100 != int(year[5:]):
        raise Invalid("an academic year runs over two consecutive years", field="year")
    return year


@dataclass(frozen=True)
class Subscribed:
    """One subscription a school had last year: what renewing it would buy."""

    service_id: UUID
    quantity: int
