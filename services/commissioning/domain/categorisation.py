"""The LA's category for a school, from its monitoring, challenge, support and intervention
process; each categorisation is kept, the latest is the school's current category."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
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


@dataclass(frozen=True)
class Standing:
    """A school's current category, and the day it entered it: a categorisation in the same
    category as the one before it confirms that category, so the school has been in it since
    the first of that unbroken run, not since the confirmation."""

    latest: Categorisation
    since: date


def standings(history: Iterable[Categorisation]) -> list[Standing]:
    """Each school's standing, by URN, from every categorisation, each school's in the order
    recorded."""
    found = []
    for _, recorded in groupby(sorted(history, key=lambda c: c.urn), key=lambda c: c.urn):
        ordered = list(recorded)
        since = ordered[-1].categorised_on
        for earlier in reversed(ordered[:-1]):
            if earlier.category is not ordered[-1].category:
                break
            since = earlier.categorised_on
        found.append(Standing(ordered[-1], since))
    return found
