"""The LA's category for a school, from its monitoring, challenge, support and intervention
process; each categorisation is kept, the latest is the school's current category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from uuid import UUID, uuid4

from shared.errors import Invalid


class Category(IntEnum):
    GOOD_OR_BETTER = 1
    SOME_CONCERNS = 2
    SIGNIFICANT_CONCERNS = 3
    CAUSING_CONCERN = 4

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


@dataclass(frozen=True)
class Categorisation:
    id: UUID
    urn: int
    category: Category
    categorised_on: date
    reasons: str
    recorded_by: str
    previous_category: Category | None = None


def categorise(
    *,
    urn: int,
    category: Category,
    on: date,
    reasons: str,
    recorded_by: str,
    latest: Categorisation | None,
    today: date,
) -> Categorisation:
    if on > today:
        raise Invalid("a school cannot be categorised in the future", field="categorised_on")
    if latest and on < latest.categorised_on:
        raise Invalid(
            f"the school was last categorised on {latest.categorised_on}; "
            f"a categorisation cannot predate it",
            field="categorised_on",
        )
    if not reasons.strip():
        raise Invalid("say why the school is in this category", field="reasons")
    return Categorisation(
        id=uuid4(),
        urn=urn,
        category=category,
        categorised_on=on,
        reasons=reasons,
        recorded_by=recorded_by,
        previous_category=latest.category if latest else None,
    )
