"""Schools' own results for evaluation's rules, written a school a row."""

from __future__ import annotations

from services.evaluation.domain.measure import SchoolResult, Stage


def by_school(
    *schools: tuple[int, float | None, float | None], pupils: int | None = None
) -> tuple[SchoolResult, ...]:
    """Each school's (URN, baseline, outcome), None where it has no such value, every value of
    `pupils` pupils when given."""
    return tuple(
        SchoolResult(urn, stage, value, pupils)
        for urn, baseline, outcome in schools
        for stage, value in ((Stage.BASELINE, baseline), (Stage.OUTCOME, outcome))
        if value is not None
    )
