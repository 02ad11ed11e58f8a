"""Effect-size arithmetic checked against worked examples from the meta-analysis literature."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.evaluation.domain.effect_size import (
    GroupSummary,
    baseline_adjusted,
    difference_in_gains,
    difference_in_means,
    hedges_j,
)
from shared.errors import Invalid


def test_borenstein_chapter_4_worked_example_gives_d_g_and_their_standard_errors() -> None:
    # Borenstein, Hedges, Higgins & Rothstein (2009) "Introduction to Meta-Analysis", ch. 4:
    # means 103 and 100, SDs 5.5 and 4.5, 50 in each group → S_within 5.0249, d 0.5970,
    # V_d 0.0418 (SE 0.2044), J 0.9923, g 0.5924, V_g 0.0411 (SE 0.2028).
    effect = difference_in_means(GroupSummary(103, 5.5, 50), GroupSummary(100, 4.5, 50))
    assert effect.standardiser == pytest.approx(5.0249, abs=1e-4)
    assert effect.cohens_d == pytest.approx(0.5970, abs=1e-4)
    assert (effect.standard_error / hedges_j(50, 50)) ** 2 == pytest.approx(0.0418, abs=1e-4)
    assert hedges_j(50, 50) == pytest.approx(0.9923, abs=1e-4)
    assert effect.hedges_g == pytest.approx(0.5924, abs=1e-4)
    assert effect.standard_error == pytest.approx(0.2028, abs=1e-4)
    assert effect.ci_low == pytest.approx(0.5924 - 1.96 * 0.2028, abs=1e-3)
    assert effect.ci_high == pytest.approx(0.5924 + 1.96 * 0.2028, abs=1e-3)


def test_lakens_2013_t_of_2_52_on_ten_and_ten_gives_ds_1_13_and_gs_1_08() -> None:
    # Lakens (2013) "Calculating and reporting effect sizes to facilitate cumulative science",
    # Frontiers in Psychology 4:863, eqs. 1 and 4: t(18) = 2.52 with n = 10 and 10 gives
    # Cohen's ds = t·sqrt(1/n1 + 1/n2) = 1.13 and Hedges's gs = 1.08. Summaries with that t:
    difference = 2.52 * math.sqrt(1 / 10 + 1 / 10)
    effect = difference_in_means(GroupSummary(difference, 1.0, 10), GroupSummary(0.0, 1.0, 10))
    assert round(effect.cohens_d, 2) == 1.13
    assert round(effect.hedges_g, 2) == 1.08


@pytest.mark.parametrize(
    ("df", "tabulated"), [(2, 0.5642), (3, 0.7236), (4, 0.7979), (10, 0.9227), (20, 0.9619)]
)
def test_hedges_correction_stays_close_to_hedges_and_olkin_exact_values(
    df: int, tabulated: float
) -> None:
    # Hedges & Olkin (1985) "Statistical Methods for Meta-Analysis", p. 80: the exact factor
    # J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2)) with m = n1 + n2 - 2, tabulated there.
    exact = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)
    assert exact == pytest.approx(tabulated, abs=2e-4)
    approximation = hedges_j(df, 2)  # n1 + n2 = df + 2
    assert approximation == pytest.approx(exact, abs=0.008)
    assert approximation >= exact  # the approximation errs on the side of less correction


def test_unequal_groups_use_both_sizes_in_the_standard_error() -> None:
    # Borenstein et al. (2009) eqs. 4.18-4.24 by hand: 20 participants v. 80 comparison, both
    # SD 10, means 105 and 100 → d 0.5, V_d = 100/1600 + 0.25/200 = 0.06375,
    # J = 1 - 3/391 = 0.992327, g = 0.496164, SE_g = J·sqrt(0.06375) = 0.992327 × 0.252488 = 0.250550.
    effect = difference_in_means(GroupSummary(105, 10, 20), GroupSummary(100, 10, 80))
    assert effect.cohens_d == pytest.approx(0.5)
    assert effect.hedges_g == pytest.approx(0.496164, abs=1e-6)
    assert effect.standard_error == pytest.approx(0.250550, abs=1e-6)


def test_a_tiny_sample_is_corrected_hard_and_its_interval_is_wide() -> None:
    # Same formulas with three and two schools: d 1, J = 1 - 3/11 = 0.727273,
    # V_d = 5/6 + 1/10 = 0.933333, SE_g = 0.727273·0.966092 = 0.702612.
    effect = difference_in_means(GroupSummary(10, 2, 3), GroupSummary(8, 2, 2))
    assert effect.hedges_g == pytest.approx(0.727273, abs=1e-6)
    assert effect.standard_error == pytest.approx(0.702612, abs=1e-6)
    assert effect.ci_low < 0 < effect.ci_high


def test_difference_in_gains_equals_the_post_test_difference_when_baselines_match() -> None:
    # Morris (2008) "Estimating effect sizes from pretest-posttest-control group designs",
    # Organizational Research Methods 11(2), d_ppc2: with equal baseline means the gain
    # difference is the post-test difference; standardised by Borenstein's pooled SD → 0.5970.
    effect = difference_in_gains(
        treatment_baseline=GroupSummary(90, 5.5, 50),
        treatment_outcome=GroupSummary(103, 6.0, 50),
        comparison_baseline=GroupSummary(90, 4.5, 50),
        comparison_outcome=GroupSummary(100, 5.0, 50),
    )
    assert effect.cohens_d == pytest.approx(0.5970, abs=1e-4)
    assert "gains" in effect.method


def test_baseline_adjustment_removes_a_head_start_the_comparison_lacked() -> None:
    # Participants started 2 points ahead and every school gained 3 points more than the
    # comparison: the pooled slope is 1, so the adjusted difference is the 3-point gain only.
    treatment = [(100.0, 105.0), (102.0, 107.0), (104.0, 109.0)]
    comparison = [(98.0, 100.0), (100.0, 102.0), (102.0, 104.0)]
    effect = baseline_adjusted(treatment, comparison)
    assert effect.difference == pytest.approx(3.0)
    assert effect.standardiser == pytest.approx(2.0)
    assert effect.cohens_d == pytest.approx(1.5)


def test_school_level_values_summarise_with_the_sample_standard_deviation() -> None:
    summary = GroupSummary.of([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    assert (summary.mean, summary.n) == (5.0, 8)
    assert summary.sd == pytest.approx(math.sqrt(32 / 7))


def test_groups_without_spread_cannot_be_standardised() -> None:
    with pytest.raises(Invalid):
        difference_in_means(GroupSummary(5, 0, 4), GroupSummary(3, 0, 4))


@given(st.floats(-50, 50), st.floats(0.5, 20), st.integers(2, 500), st.integers(2, 500))
def test_swapping_the_groups_mirrors_the_effect_and_its_interval(
    difference: float, sd: float, n1: int, n2: int
) -> None:
    forward = difference_in_means(GroupSummary(difference, sd, n1), GroupSummary(0, sd, n2))
    backward = difference_in_means(GroupSummary(0, sd, n2), GroupSummary(difference, sd, n1))
    assert backward.hedges_g == pytest.approx(-forward.hedges_g, abs=1e-9)
    assert backward.standard_error == pytest.approx(forward.standard_error)
    assert forward.ci_low <= forward.hedges_g <= forward.ci_high
    assert abs(forward.hedges_g) <= abs(forward.cohens_d) + 1e-12
