"""The LA's categorisation of a school: dated, reasoned, kept in order."""

from __future__ import annotations

from datetime import date

import pytest

from services.commissioning.domain.categorisation import Category, categorise
from shared.errors import Invalid

TODAY = date(2026, 11, 25)


def test_each_categorisation_remembers_the_category_it_replaced() -> None:
    first = categorise(
        urn=117083,
        category=Category.SOME_CONCERNS,
        on=date(2026, 9, 1),
        reasons="Writing",
        recorded_by="officer",
        latest=None,
        today=TODAY,
    )
    second = categorise(
        urn=117083,
        category=Category.CAUSING_CONCERN,
        on=date(2026, 11, 1),
        reasons="Safeguarding",
        recorded_by="officer",
        latest=first,
        today=TODAY,
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
    latest = categorise(
        urn=117083,
        category=Category.GOOD_OR_BETTER,
        on=date(2026, 9, 1),
        reasons="Good",
        recorded_by="officer",
        latest=None,
        today=TODAY,
    )
    with pytest.raises(Invalid) as refused:
        categorise(
            urn=117083,
            category=Category.SIGNIFICANT_CONCERNS,
            on=on,
            reasons=reasons,
            recorded_by="officer",
            latest=latest,
            today=TODAY,
        )
    assert refused.value.field == field
