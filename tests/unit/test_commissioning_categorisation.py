"""The LA's categorisation of a school: dated, reasoned, kept in order."""

from __future__ import annotations

from datetime import date

import pytest

from services.commissioning.domain.categorisation import Categorisation, Category, categorise
from shared.errors import Invalid

TODAY = date(2026, 11, 25)


def by_the_officer(
    category: Category, *, on: date, reasons: str, latest: Categorisation | None
) -> Categorisation:
    """Abbots Langley categorised by the LA officer, today being TODAY."""
    return categorise(
        urn=117083,
        category=category,
        on=on,
        reasons=reasons,
        recorded_by="officer",
        latest=latest,
        today=TODAY,
    )


def test_each_categorisation_remembers_the_category_it_replaced() -> None:
    first = by_the_officer(
        Category.SOME_CONCERNS, on=date(2026, 9, 1), reasons="Writing", latest=None
    )
    second = by_the_officer(
        Category.CAUSING_CONCERN, on=date(2026, 11, 1), reasons="Safeguarding", latest=first
    )
    assert (first.previous_category, second.previous_category) == (None, Category.SOME_CONCERNS)
    assert second.category.label == "causing concern"


@pytest.mark.parametrize(
    ("on", "reasons", "field"),
    [
        (date(2026, 11, 26), "Tomorrow", "categorised_on"),
        (date(2026, 8, 31), "Before the last one", "categorised_on"),
        (date(2026, 10, 1), "  ", "reasons"),
    ],
)
def test_a_future_backdated_or_unreasoned_categorisation_is_refused(
    on: date, reasons: str, field: str
) -> None:
    latest = by_the_officer(
        Category.GOOD_OR_BETTER, on=date(2026, 9, 1), reasons="Good", latest=None
    )
    with pytest.raises(Invalid) as refused:
        by_the_officer(Category.SIGNIFICANT_CONCERNS, on=on, reasons=reasons, latest=latest)
    assert refused.value.field == field
