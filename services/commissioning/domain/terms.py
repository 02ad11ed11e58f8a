"""A contract's terms and the variations that change them: the current terms are never stored,
they are the original terms with every variation applied in the order it was approved."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from math import floor
from uuid import UUID

from shared.api.commissioning import VariationKind as VariationKind


@dataclass(frozen=True)
class Terms:
    value_pence: int
    end_on: date
    scope: str


@dataclass(frozen=True)
class Variation:
    """A change of terms. One person proposes and approves it, unless it needs a second, different
    person's approval: then it waits with `approved_by` empty, `proposed_by` the proposer and
    `approved_on` the day proposed, until the second approval."""

    id: UUID
    kind: VariationKind
    reason: str
    approved_by: str
    approved_on: date
    value_pence: int | None = None
    end_on: date | None = None
    scope: str | None = None
    proposed_by: str = ""  # "" when the approver proposed it alone

    @property
    def awaits_approval(self) -> bool:
        return not self.approved_by

    def change_in_value(self, terms: Terms) -> int:
        return abs(self.applied_to(terms).value_pence - terms.value_pence)

    def applied_to(self, terms: Terms) -> Terms:
        if self.kind is VariationKind.VALUE and self.value_pence is not None:
            return replace(terms, value_pence=self.value_pence)
        if self.kind is VariationKind.TERM and self.end_on is not None:
            return replace(terms, end_on=self.end_on)
        if self.kind is VariationKind.SCOPE and self.scope is not None:
            return replace(terms, scope=self.scope)
        return terms


def current_terms(original: Terms, variations: list[Variation]) -> Terms:
    terms = original
    for variation in variations:
        terms = variation.applied_to(terms)
    return terms


def _anniversary(start_on: date, years: int) -> date:
    """The day `years` years after `start_on`; a year from 29 February runs to 28 February, so
    the next year starts on 1 March."""
    try:
        return start_on.replace(year=start_on.year + years)
    except ValueError:
        return date(start_on.year + years, 3, 1)


def years_between(start_on: date, end_on: date) -> Fraction:
    """A term from `start_on` to `end_on`, both days included, in years: the whole years to the
    last anniversary of the start within it, and the part year after it as its share of that
    year's days. A year from 1 April to 31 March is one year whether or not it has a 29
    February, and 1 April to 30 September of a 365-day year is 183/365 of one."""
    day_after = end_on + timedelta(days=1)
    whole = day_after.year - start_on.year
    if _anniversary(start_on, whole) > day_after:
        whole -= 1
    year_from, year_to = _anniversary(start_on, whole), _anniversary(start_on, whole + 1)
    return whole + Fraction((day_after - year_from).days, (year_to - year_from).days)


def annual_share(value_pence: int, *, start_on: date, end_on: date) -> int:
    """The value over a term, a year's worth, to the penny rounded half up: the value over the
    term's years (`years_between`); all of it for a term of a year or less, none of which can
    run into a second year."""
    years = years_between(start_on, end_on)
    if years <= 1:
        return value_pence
    return floor(Fraction(value_pence) / years + Fraction(1, 2))
