"""A programme's published outcomes analysed: who had usable data, who was left out and why,
the padlocks a matched comparison allows, and what the report says it cannot claim."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.evaluation.domain.analysis import Cohorts
from services.evaluation.domain.months_progress import Spread
from services.evaluation.domain.outcome_analysis import TrackedMeasure, analyse_outcomes
from services.evaluation.domain.outcome_claims import claims
from services.evaluation.domain.outcome_years import set_aside_summary, why_set_aside
from services.evaluation.domain.padlocks import Design
from services.evaluation.domain.programme import Link, LinkKind, Programme
from services.evaluation.domain.published_results import (
    MEASURE_NAMES,
    PublishedMeasure,
    PublishedResult,
)
from shared.errors import Invalid

RWM = PublishedMeasure.RWM_EXPECTED
TRACKED = TrackedMeasure(RWM, 2023, 2025)
RWM_NAME = MEASURE_NAMES[RWM]


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
        cohorts=Cohorts(frozenset({1, 2, 3, 4}), frozenset({10, 11, 12}), Design.MATCHED),
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
        cohorts=Cohorts(frozenset({1}), frozenset({10, 11}), Design.MATCHED),
    )

    assert analysis.did is None and analysis.effect is None
    assert analysis.notes


def test_a_comparison_school_that_took_part_since_counts_once_as_a_participant() -> None:
    published = [
        *results(100001, 50, 60),
        *results(100002, 55, 63),
        *results(200001, 52, 54),
        *results(200002, 58, 59),
        *results(200003, 40, 60),
    ]
    programme = Programme.create(
        title="Writing moderation",
        description="",
        starts_on=date(2023, 9, 1),
        links=(Link(LinkKind.SERVICE, uuid4()),),
        today=date(2025, 7, 1),
    )
    programme.choose_comparison(
        (200001, 200002, 200003), participants={100001, 100002}, matched=True
    )

    # 200003 buys the linked service after the comparison group was chosen
    cohorts = Cohorts.of(programme, [100001, 100002, 200003])
    analysis = analyse_outcomes(TRACKED, published, cohorts=cohorts)

    assert cohorts.comparison == {200001, 200002} and cohorts.left_out == {200003}
    assert cohorts.left_out_note == (
        "1 comparison school left out: it took part since (200003), so counted as taking part only"
    )
    participants, comparison = analysis.groups
    assert (participants.coverage.usable, comparison.coverage.usable) == (3, 2)
    assert analysis.did is not None and analysis.did.estimate == pytest.approx(11.1667, abs=1e-3)


def test_a_school_cannot_be_in_both_groups_of_an_analysis() -> None:
    with pytest.raises(Invalid, match=r"\[3\] cannot be in both groups"):
        Cohorts(frozenset({1, 2, 3}), frozenset({3, 4}), Design.MATCHED)


def test_when_every_comparison_school_took_part_there_is_no_comparison_design() -> None:
    programme = Programme.create(
        title="Writing moderation",
        description="",
        starts_on=date(2023, 9, 1),
        links=(Link(LinkKind.SERVICE, uuid4()),),
        today=date(2025, 7, 1),
    )
    programme.choose_comparison((3, 4), participants={1, 2}, matched=True)

    cohorts = Cohorts.of(programme, [1, 2, 3, 4])

    assert cohorts.comparison == frozenset() and cohorts.design is Design.NONE


def test_a_ks2_effect_between_schools_is_not_converted_into_months() -> None:
    scores = {  # KS2 reading average scaled scores, 2023 and 2025
        1: (104.0, 105.0), 2: (103.0, 104.2), 3: (105.0, 105.9),
        10: (104.0, 104.3), 11: (103.5, 103.6), 12: (104.5, 104.9),
    }  # fmt: skip
    published = [
        PublishedResult(urn, PublishedMeasure.READING_SCORE, year, value, 30)
        for urn, pair in scores.items()
        for year, value in zip((2023, 2025), pair, strict=True)
    ]

    analysis = analyse_outcomes(
        TrackedMeasure(PublishedMeasure.READING_SCORE, 2023, 2025),
        published,
        cohorts=Cohorts(frozenset({1, 2, 3}), frozenset({10, 11, 12}), Design.MATCHED),
    )

    # a DiD of 0.77 points is g = 4.02 over the spread of schools' gains, which the EEF
    # table would call twelve months; over a pupil SD of about 6.5 points it is about 0.12
    assert analysis.effect is not None and analysis.effect.hedges_g == pytest.approx(4.02, abs=0.01)
    assert analysis.spread is Spread.SCHOOLS
    assert analysis.months is None


MATCHED = Cohorts(frozenset({1, 2}), frozenset({10, 11}), Design.MATCHED)


def test_gains_all_but_the_same_leave_the_standardised_effect_uncalculated_saying_why() -> None:
    # the participants' gains differ by 2e-160 points, the comparison schools' not at all: the
    # pooled spread is about 1e-160, and g's square overflows
    published = [
        *results(1, 0, 1e-160),
        *results(2, 0, 3e-160),
        *results(10, 50, 55),
        *results(11, 50, 55),
    ]

    analysis = analyse_outcomes(TRACKED, published, cohorts=MATCHED)

    assert analysis.did is not None and analysis.did.estimate == pytest.approx(-5)
    assert analysis.effect is None and analysis.months is None
    assert analysis.notes == (
        "no standardised effect: cannot be calculated: a number in the working is too large to "
        "hold (the schools' gains may show almost no spread)",
    )


@pytest.mark.parametrize("failing", ["weighted_gain", "difference_in_differences"])
@pytest.mark.parametrize(
    ("error", "why"),
    [
        (ZeroDivisionError, "it would divide by zero"),
        (OverflowError, "a number in the working is too large to hold"),
    ],
)
def test_arithmetic_that_fails_on_the_figures_leaves_no_estimate_saying_why_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, failing: str, error: type[ArithmeticError], why: str
) -> None:
    def fails(*_: object) -> None:
        raise error

    monkeypatch.setattr(f"services.evaluation.domain.outcome_analysis.{failing}", fails)
    published = [*results(1, 50, 60), *results(2, 55, 62), *results(10, 52, 54)]
    published += results(11, 58, 57)

    analysis = analyse_outcomes(TRACKED, published, cohorts=MATCHED)

    assert analysis.did is None and analysis.effect is None
    cannot = f"cannot be calculated: {why} (the schools' gains may show almost no spread)"
    assert analysis.notes == (f"no estimate: {cannot}",)
    said = claims([analysis], design=Design.MATCHED, smallest_cohort=30)
    name = "reading, writing and maths at the expected standard, %"
    assert f"{name}: no estimate for 2023 to 2025 — it {cannot}." in said.cannot
    assert not any("too few schools" in text for text in said.cannot)


def test_years_tracked_before_they_were_refused_are_set_aside_saying_why() -> None:
    """A programme from 1 September 2023: 2024's results are of its first school year, so no
    baseline of it; 2023's ended before it, so no outcome. Either, kept from before such years
    were refused, is set aside: its means are shown, but no estimate, effect or padlock."""
    programme = Programme.create(
        title="Writing moderation",
        description="",
        starts_on=date(2023, 9, 1),
        links=(Link(LinkKind.SERVICE, uuid4()),),
        today=date(2023, 8, 1),
    )
    late_baseline = TrackedMeasure(RWM, 2024, 2025)
    early_outcome = TrackedMeasure(RWM, 2022, 2023)
    assert why_set_aside(programme, TRACKED) is None
    baseline_why = why_set_aside(programme, late_baseline)
    assert baseline_why and "track it again from 2023 or earlier" in baseline_why
    outcome_why = why_set_aside(programme, early_outcome)
    assert outcome_why and "before the programme started on 1 September 2023" in outcome_why

    published = [
        PublishedResult(urn, RWM, year, 50 + urn + year % 10, 30, None)
        for urn in (1, 2, 10, 11)
        for year in (2024, 2025)
    ]
    cohorts = Cohorts(frozenset({1, 2}), frozenset({10, 11}), Design.MATCHED)
    analysis = analyse_outcomes(late_baseline, published, cohorts=cohorts, set_aside=baseline_why)

    assert (analysis.did, analysis.effect, analysis.security.padlocks) == (None, None, 0)
    assert [g.coverage.usable for g in analysis.groups] == [2, 2]
    assert analysis.groups[0].gains is not None  # its means are still shown
    summary = set_aside_summary([analysis, analyse_outcomes(TRACKED, [], cohorts=cohorts)])
    assert summary and summary.startswith(
        "1 of 2 measures tracked is set aside from the estimates and effect sizes, and with it "
        "the results of 2 participating and 2 comparison schools."
    )
    said = claims([analysis], design=Design.MATCHED, smallest_cohort=None)
    assert not said.can and said.cannot[0].startswith(RWM_NAME)


def test_a_school_with_both_years_but_no_cohort_size_is_said_to_be_left_out_for_that() -> None:
    """School 3 has both years' results but no KS2 cohort (TELIG) for 2025: its results are
    published, so it is not 'not published'; the estimate weights each school by its cohort, so
    it is left out. By hand, participants 1 and 2 (cohorts 30 and 10) gain 10 and 6:
    (30 × 10 + 10 × 6)/40 = 9; the comparison schools (30 each) gain 2, 3 and 4: 3. The
    difference-in-differences is 9 − 3 = 6, with school 3 (a gain of 20) out of it."""
    published = [
        *results(1, 50, 60),
        *results(2, 40, 46, cohort=10),
        PublishedResult(3, RWM, 2023, 45, 28, None),
        PublishedResult(3, RWM, 2025, 65, None, None),  # no TELIG in the file
        *results(10, 52, 54),
        *results(11, 58, 61),
        *results(12, 45, 49),
    ]

    analysis = analyse_outcomes(
        TRACKED,
        published,
        cohorts=Cohorts(frozenset({1, 2, 3}), frozenset({10, 11, 12}), Design.MATCHED),
    )

    participants, _ = analysis.groups
    coverage = participants.coverage
    assert (coverage.usable, coverage.no_cohort, coverage.absent, coverage.withheld) == (2, 1, 0, 0)
    assert analysis.did is not None and analysis.did.estimate == pytest.approx(6.0)
    assert (
        "1 participant school with both years' results has no cohort size published for 2025: "
        "left out of the estimate, which weights each school by its cohort"
    ) in analysis.notes
    said = claims([analysis], design=Design.MATCHED, smallest_cohort=10)
    (left_out,) = [c for c in said.cannot if c.startswith("Anything about the schools left")]
    assert "1 with no cohort size published" in left_out
