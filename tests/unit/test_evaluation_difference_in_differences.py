"""Difference-in-differences on school-level results: the estimate and its standard error
against a published worked example, the cohort-weighted gains, and the t interval."""

from __future__ import annotations

import math

import pytest

from services.evaluation.domain.difference_in_differences import (
    Gain,
    SchoolChange,
    difference_in_differences,
    standardised_gain_difference,
    t_975,
    weighted_gain,
)
from shared.errors import Invalid


def test_card_and_krueger_1994_table_3_difference_in_differences_and_its_standard_error() -> None:
    # Card, D. & Krueger, A. B. (1994) "Minimum Wages and Employment: A Case Study of the
    # Fast-Food Industry in New Jersey and Pennsylvania", American Economic Review 84(4),
    # 772-793, Table 3. Change in mean FTE employment per store, February to November 1992:
    # New Jersey 0.59 (SE 0.54), Pennsylvania −2.16 (SE 1.25) → NJ − PA 2.76 (SE 1.36).
    # Balanced sample of stores (the same stores in both waves, as our schools are):
    # New Jersey 0.47 (0.48), Pennsylvania −2.28 (1.25) → 2.75 (1.34).
    # 331 New Jersey and 79 Pennsylvania stores were interviewed in the first wave (Table 1).
    all_stores = difference_in_differences(Gain(0.59, 0.54, 331), Gain(-2.16, 1.25, 79))
    balanced = difference_in_differences(Gain(0.47, 0.48, 331), Gain(-2.28, 1.25, 79))

    # the published changes are rounded to 0.01, so their difference may be 0.01 out
    assert all_stores.estimate == pytest.approx(2.76, abs=0.01)
    assert all_stores.standard_error == pytest.approx(1.36, abs=0.005)
    assert balanced.estimate == pytest.approx(2.75, abs=0.005)
    assert balanced.standard_error == pytest.approx(1.34, abs=0.005)


def test_with_equal_cohorts_a_groups_standard_error_is_the_sd_of_gains_over_root_n() -> None:
    changes = [SchoolChange(urn, 60, 60 + gain, 30) for urn, gain in enumerate([1, 1, 3, 3])]

    group = weighted_gain(changes)

    assert group.gain.mean == 2
    assert group.gain.standard_error == pytest.approx(math.sqrt(4 / 3) / 2)
    assert group.gain_sd == pytest.approx(math.sqrt(4 / 3))


def test_larger_cohorts_weigh_more_in_the_mean_gain_and_its_standard_error() -> None:
    # shares 0.25, 0.5, 0.25 of gains 2, 4, 6: mean 4; variance 3/2 × (0.5² + 0 + 0.5²) = 0.75
    changes = [
        SchoolChange(1, 50, 52, 10),
        SchoolChange(2, 70, 74, 20),
        SchoolChange(3, 40, 46, 10),
    ]

    group = weighted_gain(changes)

    assert group.gain.mean == pytest.approx(4.0)
    assert group.gain.standard_error == pytest.approx(math.sqrt(0.75))
    assert group.baseline_mean == pytest.approx(0.25 * 50 + 0.5 * 70 + 0.25 * 40)
    assert group.outcome_mean == pytest.approx(0.25 * 52 + 0.5 * 74 + 0.25 * 46)
    assert group.pupils == 40


def test_the_interval_uses_students_t_with_welch_degrees_of_freedom() -> None:
    treatment = weighted_gain(
        [SchoolChange(1, 50, 52, 10), SchoolChange(2, 70, 74, 20), SchoolChange(3, 40, 46, 10)]
    )
    comparison = weighted_gain(
        [SchoolChange(u, 60, 60 + g, 30) for u, g in enumerate([1, 1, 3, 3], start=10)]
    )

    did = difference_in_differences(treatment.gain, comparison.gain)

    v1, v2 = 0.75, 1 / 3
    df = (v1 + v2) ** 2 / (v1**2 / 2 + v2**2 / 3)
    assert did.estimate == pytest.approx(2.0)
    assert did.standard_error == pytest.approx(math.sqrt(v1 + v2))
    assert did.degrees_of_freedom == pytest.approx(df)
    assert did.ci_high - did.estimate == pytest.approx(t_975(df) * math.sqrt(v1 + v2))


@pytest.mark.parametrize(
    ("df", "table"),
    [(1, 12.706), (2, 4.303), (3, 3.182), (5, 2.571), (10, 2.228), (30, 2.042), (120, 1.980)],
)
def test_t_quantile_matches_the_printed_table(df: int, table: float) -> None:
    # Student's t, two-sided 5%: any statistics textbook's table (e.g. NIST/SEMATECH
    # e-Handbook of Statistical Methods, 1.3.6.7.2)
    assert t_975(df) == pytest.approx(table, abs=0.004)


def test_hedges_g_on_the_gains_divides_by_the_pooled_sd_of_school_gains() -> None:
    treatment = weighted_gain([SchoolChange(u, 60, 60 + g, 25) for u, g in enumerate([4, 6, 8])])
    comparison = weighted_gain(
        [SchoolChange(u, 60, 60 + g, 25) for u, g in enumerate([1, 3, 5], start=10)]
    )

    effect = standardised_gain_difference(
        treatment, comparison, difference_in_differences(treatment.gain, comparison.gain)
    )

    # both groups' gains have SD 2; difference 3; J = 1 − 3/(4 × 6 − 9) = 0.8
    assert effect.cohens_d == pytest.approx(1.5)
    assert effect.hedges_g == pytest.approx(1.2)


def test_a_group_needs_two_schools_with_both_years() -> None:
    with pytest.raises(Invalid):
        weighted_gain([SchoolChange(1, 60, 62, 30)])
