"""A school's basket: lines it means to buy, each at the price the catalogue quoted for it.
The quoted price is the price charged at checkout, whatever the catalogue does meanwhile."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from services.orders.domain.lines import OrderLine, Quote
from shared.calendar import academic_year, academic_year_term, long_date, years_on_sale
from shared.errors import Conflict, Invalid, NotFound
from shared.money import Amounts, total
from shared.years_sold import sold_in

MAX_LINES = 100


@dataclass
class Basket:
    urn: int
    lines: list[OrderLine] = field(default_factory=list)
    trust_code: str | None = None  # filled by this trust's buyer for the trust's order

    @property
    def amounts(self) -> Amounts:
        return total([line.amounts for line in self.lines])

    def add(self, quote: Quote, *, term: tuple[date, date] | None = None) -> OrderLine:
        if len(self.lines) >= MAX_LINES:
            raise Invalid(f"a basket holds at most {MAX_LINES} lines", field="service_id")
        line = OrderLine.quoted(quote, term=term)
        self.lines.append(line)
        return line

    def line(self, line_id: UUID) -> OrderLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise NotFound(f"no line {line_id} in the basket", field="line_id")

    def change(self, line_id: UUID, quote: Quote) -> OrderLine:
        """A new quantity is a new quote (prices may depend on it); the line keeps its id."""
        old = self.line(line_id)
        term = (old.term_start, old.term_end) if old.term_start and old.term_end else None
        new = replace(OrderLine.quoted(quote, term=term), line_id=line_id)
        self.lines[self.lines.index(old)] = new
        return new

    def remove(self, line_id: UUID) -> None:
        self.lines.remove(self.line(line_id))

    def empty(self) -> list[OrderLine]:
        if not self.lines:
            raise Invalid("the basket is empty", field="lines")
        lines, self.lines = self.lines, []
        return lines


def check_still_sold(lines: list[OrderLine], *, retired: Collection[UUID]) -> None:
    """A line of a service the catalogue has retired since it was quoted is not sold any more:
    refused by name, for the school to remove it, as the catalogue's quote would refuse it."""
    for index, line in enumerate(lines):
        if line.service_id in retired:
            raise Conflict(
                f"{line.title} is no longer sold: remove it from the basket",
                field=f"lines.{index}.service_id",
            )


def check_sessions_bookable(
    lines: list[OrderLine],
    *,
    today: date,
    called_off: Collection[UUID],
    years_sold: Mapping[UUID, Collection[str]],
) -> None:
    """A course line is checked out only while its session can still be booked, as the
    catalogue quotes one: not called off, not begun (places are booked until the day before
    it runs), and in an academic year its course is still sold for (`years_sold`, by service;
    one not there, in any). The line refused is named, for the school to remove it."""
    for index, line in enumerate(lines):
        years = years_sold.get(line.service_id, ())
        why = _why_not_bookable(line, today=today, called_off=called_off, years_sold=years)
        if why is None:
            continue
        day = f" on {long_date(line.delivery_on)}" if line.delivery_on else ""
        raise Conflict(
            f"{line.title}: the session{day} {why}; remove it from the basket",
            field=f"lines.{index}.session_id",
        )


def check_terms_running(lines: list[OrderLine], *, today: date) -> None:
    """A subscription's year or a rolling service's period is checked out only until it ends:
    a basket keeps the term each line was quoted for, and one over since it was added would be
    charged in full for nothing to come. The line refused is named, for the school to remove it
    and add it again for the term to come, at that term's prices."""
    for index, line in enumerate(lines):
        if line.term_start and line.term_end and line.term_end < today:
            raise Conflict(
                f"{line.title}: its term, {long_date(line.term_start)} to "
                f"{long_date(line.term_end)}, is over; remove it from the basket and add it "
                "again for the term to come",
                field=f"lines.{index}.service_id",
            )


def _why_not_bookable(
    line: OrderLine, *, today: date, called_off: Collection[UUID], years_sold: Collection[str]
) -> str | None:
    if line.session_id is None:
        return None
    if line.session_id in called_off:
        return "has been cancelled"
    if line.delivery_on is None:
        return None
    if line.delivery_on <= today:
        return "can no longer be booked"
    year = academic_year(line.delivery_on)
    if not sold_in(years_sold, year):
        return f"is in {year}, and the course is now sold only for {', '.join(years_sold)}"
    return None


def check_year_on_sale(year: str, today: date) -> str:
    """The academic year a school asked to buy a subscription for: this one or the next. A
    year already over is refused (it was bought for the year running instead, unsaid), and
    one further ahead (no price list is set so far ahead)."""
    this, following = years_on_sale(today)
    _, end = academic_year_term(year)
    if end < today:
        raise Invalid(
            f"{year} ended on {end:%-d %B %Y}: buy for this year or one to come",
            field="academic_year",
        )
    if year not in (this, following):
        raise Invalid(
            f"subscriptions are sold for {this} or {following}, not {year}",
            field="academic_year",
        )
    return year


def check_year_quoted(year: str, quote: Quote) -> None:
    """The catalogue quoted the year asked for (a financial year counts with the academic year
    it ends in), not the one it sells the service for instead."""
    if quote.term is not None and academic_year(quote.term[1]) != year:
        raise Invalid(
            f"{quote.title} runs in {academic_year(quote.term[1])}, not {year}",
            field="academic_year",
        )
