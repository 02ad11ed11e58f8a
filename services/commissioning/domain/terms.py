"""A contract's terms and the variations that change them: the current terms are never stored,
they are the original terms with every variation applied in the order it was approved."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
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
