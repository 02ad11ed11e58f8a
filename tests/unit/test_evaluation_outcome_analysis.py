"""A programme's published outcomes analysed: who had usable data, who was left out and why,
the padlocks a matched comparison allows, and what the report says it cannot claim."""

from __future__ import annotations

from services.evaluation.domain.outcome_analysis import TrackedMeasure, analyse_outcomes
from services.evaluation.domain.outcome_claims import claims
from services.evaluation.domain.padlocks import Design
from services.evaluation.domain.published_results import PublishedMeasure, PublishedResult

RWM = PublishedMeasure.RWM_EXPECTED
TRACKED = TrackedMeasure(RWM, 2023, 2025)


def results(
    urn: int, before: float | None, after: float | None, cohort: int = 30
) -> list[PublishedResult]:
    return [
        PublishedResult(urn, RWM, year, value, cohort, None if value is not None else "SUPP")
        for year, value in ((2023, before), (2025, after))
    ]


def test_suppressed_and_unpublished_schools_are_left_out_and_counted() -> None:
    published = [
        *results(1, 50, 60),
        *results(2, 55, 62),
        *results(3, 40, None, cohort=4),  # suppressed in 2025
        *results(10, 52, 54),
        *results(11, 58, 57),
        *results(12, 45, 49),
    ]  # school 4 takes part but has no results published at all

    analysis = analyse_outcomes(
        TRACKED,
        published,
        participants=frozenset({1, 2, 3, 4}),
        comparison=frozenset({10, 11, 12}),
        design=Design.MATCHED,
    )

    participants, comparison = analysis.groups
    assert (participants.coverage.usable, participants.coverage.withheld) == (2, 1)
    assert participants.coverage.absent == 1
    assert (comparison.coverage.usable, comparison.coverage.schools) == (3, 3)
    assert analysis.did is not None
    assert analysis.security.padlocks <= 3
    said = claims([analysis], design=Design.MATCHED, smallest_cohort=4)
    cannot = " ".join(said.cannot)
    assert "not assigned at random" in cannot
    assert "1 suppressed and 1 with no published result" in cannot
    assert "the smallest here is 4 pupils" in cannot


def test_with_fewer_than_two_usable_schools_a_group_has_no_estimate() -> None:
    published = [*results(1, 50, 60), *results(10, 52, 54), *results(11, 58, 57)]

    analysis = analyse_outcomes(
        TRACKED,
        published,
        participants=frozenset({1}),
        comparison=frozenset({10, 11}),
        design=Design.MATCHED,
    )

    assert analysis.did is None and analysis.effect is None
    assert analysis.notes
