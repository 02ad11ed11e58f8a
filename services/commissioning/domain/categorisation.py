"""The LA's category for a school, from its monitoring, challenge, support and intervention
process; each categorisation is kept, the latest is the school's current category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from shared.api.commissioning import Category as Category
from shared.dates import refuse_future
from shared.errors import Invalid


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
    refuse_future(
        on,
        today=today,
        refusal="a school cannot be categorised in the future",
        field="categorised_on",
    )
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
