"""Figures of the impact report and the ratings as a person reads them: each is worked out by
hand here (the arithmetic is in the comments), not by the code under test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import uuid4

import pytest

from services.evaluation.domain.analysis import Cohorts, analyse
from services.evaluation.domain.difference_in_differences import (
    SchoolChange,
    difference_in_differences,
    standardised_gain_difference,
    weighted_gain,
)
from services.evaluation.domain.measure import (
    Group,
    GroupResult,
    Measure,
    Results,
    Stage,
)
from services.evaluation.domain.padlocks import Design, Evidence, security_rating
from services.evaluation.domain.rating import Average, falls_below
from services.evaluation.domain.readiness import Baselines, PublishedBaseline, impact_readiness
from shared.measurements import format_rating
from tests.support.evaluation_results import by_school

PARTICIPANTS = frozenset({100001, 100002, 100003})
COMPARISON = frozenset({100011, 100012, 100013})
# a large randomised trial that lost no school, its baseline gap not given
LARGE_TRIAL = Evidence(
    design=Design.RANDOMISED,
    treatment_schools=400,
    comparison_schools=400,
    pupils=24_000,
    attrition=0.0,
    baseline_difference=None,
)


def test_a_school_with_a_baseline_but_no_outcome_does_not_move_its_groups_change() -> None:
    results = Results(
        schools=by_school(
            (100001, 100, 105),
            (100002, 90, 93),
            (100003, 60, None),  # no outcome yet
            (100011, 100, 101),
            (100012, 90, 92),
            (100013, 95, 96.5),
        )
    )
    analysis = analyse(results, Cohorts(PARTICIPANTS, COMPARISON, Design.MATCHED))
    change = {c.group: c for c in analysis.changes}
    # The two participants with both: gains 5 and 3, mean 4. Over every school with either
    # stage it would read (105 + 93)/2 − (100 + 90 + 60)/3 = 99 − 83.33 = +15.67: the third
    # school's low baseline, with no outcome to set beside it, counted as a gain.
    assert change[Group.PARTICIPANT].change == pytest.approx(4.0)
    assert "2 schools" in change[Group.PARTICIPANT].method
    # Comparison: gains 1, 2 and 1.5, mean 1.5, every school having both.
    assert change[Group.COMPARISON].change == pytest.approx(1.5)
    assert "3 schools" in change[Group.COMPARISON].method
    # The baseline mean shown is still every school's baseline: (100 + 90 + 60)/3.
    baseline = change[Group.PARTICIPANT].baseline
    assert baseline is not None and baseline.mean == pytest.approx(250 / 3)


def test_no_change_is_shown_while_no_school_has_both_a_baseline_and_an_outcome() -> None:
    results = Results(
        schools=by_school(
            (100001, 100, None),
            (100002, 90, None),
            (100003, None, 80),
            (100011, None, 85),
            (100004, None, 88),
        )
    )
    participants = frozenset({100001, 100002, 100003, 100004})
    analysis = analyse(results, Cohorts(participants, COMPARISON, Design.MATCHED))
    change = {c.group: c for c in analysis.changes}[Group.PARTICIPANT]
    # Baselines of 100001 and 100002, outcomes of 100003 and 100004: not one school to compare
    # with itself, so no change (it would read 84 − 95 = −11 between different schools).
    assert change.change is None
    assert "no school has both" in change.method


def test_a_baseline_gap_just_above_the_rule_is_not_shown_as_the_rule_itself() -> None:
    evidence = replace(LARGE_TRIAL, baseline_difference=0.052)  # WWC: above 0.05 costs a padlock
    lost = {cap.criterion: cap for cap in security_rating(evidence).lost}
    assert "0.052 SD" in lost["baseline balance"].reason
    # 0.052 → "0.05" would read as a gap at the limit, costing a padlock it does not cost
    assert "0.05 SD" not in lost["baseline balance"].reason


def test_attrition_just_below_a_band_is_not_shown_as_that_band() -> None:
    # below 20%: the band that allows four padlocks
    evidence = replace(LARGE_TRIAL, attrition=0.199)
    lost = {cap.criterion: cap for cap in security_rating(evidence).lost}
    assert lost["attrition"].allows == 4
    assert lost["attrition"].reason.startswith("19.9% of schools")


def test_a_minimum_detectable_effect_just_past_a_band_is_not_shown_as_its_edge() -> None:
    # Bloom (2007): MDES = 2.8 √(ρ/(P(1−P)J) + (1−ρ)/(P(1−P)J n)); with ρ = 0.15, P = 1/2,
    # J = 36 schools and n = 25 pupils each, P(1−P)J = 9, so
    # 2.8 √(0.15/9 + 0.85/225) = 2.8 √(0.0166667 + 0.0037778) = 2.8 × 0.142984 = 0.400355:
    # not below 0.4, so two padlocks, yet "0.40" reads as the edge of the band that allows three.
    evidence = replace(LARGE_TRIAL, treatment_schools=18, comparison_schools=18, pupils=900)
    rating = security_rating(evidence)
    assert rating.mdes == pytest.approx(0.400355, abs=1e-6)
    lost = {cap.criterion: cap for cap in rating.lost}
    assert lost["size"].allows == 2
    assert "minimum detectable effect 0.4004" in lost["size"].reason


def test_a_gain_against_a_reported_comparison_counts_only_schools_with_both_stages() -> None:
    results = Results(
        schools=by_school(
            (100001, 100, 106),
            (100002, 90, 94),
            (100003, 60, None),  # no outcome yet
        ),
        groups=(
            GroupResult(Group.COMPARISON, Stage.BASELINE, 95, 10, 40),
            GroupResult(Group.COMPARISON, Stage.OUTCOME, 96, 10, 40),
        ),
    )
    analysis = analyse(results, Cohorts(PARTICIPANTS, COMPARISON, Design.MATCHED))
    assert analysis.effect is not None
    # Morris (2008) d_ppc2 on the two schools with both: their gain (106 + 94)/2 − (100 + 90)/2
    # = 5, the comparison's 96 − 95 = 1, difference 4. The participants' baseline SD over those
    # two is √((5² + 5²)/1) = √50; pooled with the comparison's 10 on 40:
    # √((1 × 50 + 39 × 100)/(2 + 40 − 2)) = √(3950/40) = √98.75 = 9.93730, d = 4/9.93730 =
    # 0.402524. With the third school's baseline the gain would read 100 − 83.33 = 16.67.
    assert analysis.effect.difference == pytest.approx(4.0)
    assert analysis.effect.cohens_d == pytest.approx(0.402524, abs=1e-6)


def test_no_gain_is_worked_out_between_different_schools() -> None:
    results = Results(
        schools=by_school(
            (100001, 100, 105),
            (100002, 90, None),
            (100003, None, 80),
            (100011, 100, 101),
            (100012, 90, 92),
        )
    )
    analysis = analyse(results, Cohorts(PARTICIPANTS, COMPARISON, Design.MATCHED))
    # One participant has both stages: the others' baseline (90) and outcome (80) belong to
    # different schools, and (105 + 80)/2 − (100 + 90)/2 = −2.5 would be no school's gain.
    assert analysis.effect is None
    assert any("fewer than two participant schools" in note for note in analysis.notes)


def test_a_fifth_of_pupils_lost_is_twenty_percent_attrition_and_allows_three_padlocks() -> None:
    results = Results(
        groups=(
            GroupResult(Group.PARTICIPANT, Stage.BASELINE, 100, 10, 100),
            GroupResult(Group.PARTICIPANT, Stage.OUTCOME, 108, 10, 80),
            GroupResult(Group.COMPARISON, Stage.BASELINE, 100, 10, 100),
            GroupResult(Group.COMPARISON, Stage.OUTCOME, 104, 10, 80),
        )
    )
    analysis = analyse(results, Cohorts(PARTICIPANTS, COMPARISON, Design.RANDOMISED))
    lost = {cap.criterion: cap for cap in analysis.security.lost}
    # 200 pupils at baseline, 160 at outcome: 40/200 = 20% exactly, in the band 20-30% that
    # allows three padlocks (1 − 160/200 in floating point is 0.19999999999999996, under 20%).
    # The counts are reported pupils, not schools.
    assert lost["attrition"].allows == 3
    assert lost["attrition"].reason.startswith("20% of pupils with a baseline")


def test_an_average_rating_just_below_the_threshold_is_flagged_and_never_read_as_it() -> None:
    # 200 ratings of 3, then one of 2: 602/201 = 2.99502…, below a threshold of 3.0.
    before = Average.of([3] * 200)
    after = Average.of([3] * 200 + [2])
    assert after.mean is not None and after.mean < 3.0
    assert format_rating(after.mean) == "2.99"
    assert falls_below(before, after, threshold=3.0, minimum=3)


def test_one_school_s_baseline_is_not_a_group_s_baseline_for_showing_impact() -> None:
    measure = Measure(id=uuid4(), programme_id=uuid4(), name="KS2 reading", unit="")
    ready = impact_readiness(
        starts_on=date(2025, 9, 1),
        today=date(2025, 8, 1),
        cohorts=Cohorts(PARTICIPANTS, COMPARISON, Design.MATCHED),
        measures=[measure],
        # one participant's own value, and the comparison group's reported summary
        baselines={str(measure.id): Baselines(frozenset({100001}), frozenset({Group.COMPARISON}))},
    )
    # the analysis summarises a group from two schools' values at least: one is no baseline
    assert not ready.can_show_impact
    assert ready.reasons == (
        "measure 'KS2 reading' has no baseline for the schools taking part (a group summary, "
        "or two schools' own values at least)",
    )


def test_one_school_s_published_baseline_is_not_a_group_s_baseline_for_showing_impact() -> None:
    """KS2 reading tracked from 2023: of the three participants only 100001 has a 2023 result
    held, of the comparison schools 100011 and 100012. The estimate needs two schools of each
    group with both years' results, so the participants can never have it; the comparison
    group can."""
    reading = PublishedBaseline("KS2 reading", 2023, frozenset({100001, 100011, 100012}))
    ready = impact_readiness(
        starts_on=date(2025, 9, 1),
        today=date(2025, 8, 1),
        cohorts=Cohorts(PARTICIPANTS, COMPARISON, Design.MATCHED),
        measures=[],
        baselines={},
        published=(reading,),
    )
    assert not ready.can_show_impact
    assert ready.reasons == (
        "measure 'KS2 reading' has no 2023 results for the schools taking part (two schools' "
        "own results at least)",
    )
    both = PublishedBaseline("KS2 reading", 2023, frozenset({100001, 100002, 100011, 100012}))
    assert impact_readiness(
        starts_on=date(2025, 9, 1),
        today=date(2025, 8, 1),
        cohorts=Cohorts(PARTICIPANTS, COMPARISON, Design.MATCHED),
        measures=[],
        baselines={},
        published=(both,),
    ).can_show_impact


def test_the_effect_s_interval_says_chance_when_the_estimate_s_interval_does() -> None:
    """Three participating schools gaining 4, 6 and 8 against six gaining 0 to 5, each of 30
    pupils: the difference in mean gains is 6 − 2.5 = 3.5, its standard error
    √(4/3 + 3.5/6) = 1.384 on Welch's 3.98 degrees of freedom, so the estimate's interval,
    3.5 ± 2.78 × 1.384, runs from −0.35 to 7.35: chance cannot be ruled out. The effect size
    (difference over the pooled SD of the gains, √((2·4 + 5·3.5)/7) = 1.9086, × J = 1 − 3/27)
    is 1.63; its interval must cross zero too, as the estimate's own interval in SDs, not a
    normal interval of ±1.96 SE that reads 0.19 to 3.07 beside "could be chance"."""
    participants = [SchoolChange(100 + i, 50, 50 + gain, 30) for i, gain in enumerate((4, 6, 8))]
    comparison = [
        SchoolChange(200 + i, 50, 50 + gain, 30) for i, gain in enumerate((0, 1, 2, 3, 4, 5))
    ]
    treated, compared = weighted_gain(participants), weighted_gain(comparison)

    did = difference_in_differences(treated.gain, compared.gain)
    effect = standardised_gain_difference(treated, compared, did)

    assert did.ci_low < 0 < did.ci_high
    assert effect.hedges_g == pytest.approx(3.5 / 1.90863 * (1 - 3 / 27), abs=1e-3)
    in_sds = (1 - 3 / 27) / 1.90863
    assert effect.ci_low == pytest.approx(did.ci_low * in_sds, abs=1e-3)
    assert effect.ci_high == pytest.approx(did.ci_high * in_sds, abs=1e-3)
    assert effect.ci_low < 0 < effect.ci_high


def test_the_padlock_for_size_counts_the_schools_the_estimate_used() -> None:
    """Two participants with both stages and one with an outcome but no baseline; three
    comparison schools with both. The baseline-adjusted estimate pairs each school's outcome
    with its own baseline, so it uses 2 + 3 = 5 schools and their 5 × 30 = 150 pupils: the
    third participant (60 pupils, no baseline) is not among them. Bloom's MDES with J = 5,
    P = 2/5, n = 150/5 = 30: P(1−P)J = 0.4 × 0.6 × 5 = 1.2, so
    2.8 √(0.15/1.2 + 0.85/(1.2 × 30)) = 2.8 √(0.125 + 0.023611) = 2.8 × 0.385501 = 1.07940.
    Counted with the third, it would read 6 schools and 210 pupils, MDES 0.95."""
    results = Results(
        schools=(
            *by_school((100001, 100, 105), (100002, 90, 93), pupils=30),
            # no baseline: nothing to adjust its outcome by
            *by_school((100003, None, 60), pupils=60),
            *by_school((100011, 100, 101), (100012, 90, 92), (100013, 95, 96.5), pupils=30),
        )
    )

    analysis = analyse(results, Cohorts(PARTICIPANTS, COMPARISON, Design.MATCHED))

    assert analysis.effect is not None and "baseline" in analysis.effect.method
    assert analysis.security.mdes == pytest.approx(1.07940, abs=1e-5)
    lost = {cap.criterion: cap for cap in analysis.security.lost}
    assert lost["size"].reason == "5 schools, 150 pupils: minimum detectable effect 1.08"
