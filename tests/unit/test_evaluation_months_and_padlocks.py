"""The EEF months'-progress table and the padlock security rating."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.evaluation.domain.months_progress import months_progress
from services.evaluation.domain.padlocks import Design, Evidence, security_rating

# EEF Teaching and Learning Toolkit, "About the Toolkits: attainment": every band's lower and
# upper edge, effect sizes to two decimal places.
BAND_EDGES = [
    (0.00, 0), (0.01, 0), (0.02, 1), (0.09, 1), (0.10, 2), (0.18, 2), (0.19, 3), (0.26, 3),
    (0.27, 4), (0.35, 4), (0.36, 5), (0.44, 5), (0.45, 6), (0.52, 6), (0.53, 7), (0.61, 7),
    (0.62, 8), (0.69, 8), (0.70, 9), (0.78, 9), (0.79, 10), (0.87, 10), (0.88, 11),
    (0.95, 11), (0.96, 12), (1.00, 12), (1.75, 12),
]  # fmt: skip


@pytest.mark.parametrize(("effect_size", "months"), BAND_EDGES)
def test_every_band_edge_of_the_eef_table_converts_to_its_months(
    effect_size: float, months: int
) -> None:
    assert months_progress(effect_size) == months


@pytest.mark.parametrize(("effect_size", "months"), BAND_EDGES)
def test_a_negative_effect_converts_to_the_same_months_negative(
    effect_size: float, months: int
) -> None:
    assert months_progress(-effect_size) == -months


@pytest.mark.parametrize(
    ("effect_size", "months"), [(0.0149, 0), (0.015, 1), (0.0949, 1), (0.095, 2), (-0.015, -1)]
)
def test_effect_sizes_are_taken_to_two_decimal_places_first(
    effect_size: float, months: int
) -> None:
    assert months_progress(effect_size) == months


@given(st.floats(-3, 3))
def test_months_never_fall_as_the_effect_grows(effect_size: float) -> None:
    assert months_progress(effect_size + 0.01) >= months_progress(effect_size)
    assert months_progress(-effect_size) == -months_progress(effect_size)


def evidence(**changes: object) -> Evidence:
    strong = {
        "design": Design.RANDOMISED,
        "treatment_schools": 100,
        "comparison_schools": 100,
        "pupils": 10000,
        "attrition": 0.05,
        "baseline_difference": 0.01,
    }
    return Evidence(**{**strong, **changes})  # type: ignore[arg-type]


def test_a_large_balanced_randomised_trial_keeps_all_five_padlocks() -> None:
    rating = security_rating(evidence())
    assert rating.padlocks == 5
    assert rating.lost == ()


def test_no_comparison_group_means_no_padlocks_and_says_why() -> None:
    rating = security_rating(evidence(design=Design.NONE))
    assert rating.padlocks == 0
    assert [(lost.criterion, lost.reason) for lost in rating.lost] == [
        ("design", "no comparison group")
    ]


def test_a_matched_comparison_is_held_to_three_padlocks() -> None:
    rating = security_rating(evidence(design=Design.MATCHED))
    assert rating.padlocks == 3
    assert rating.lost[0].criterion == "design"


def test_few_schools_cost_padlocks_for_size() -> None:
    rating = security_rating(evidence(treatment_schools=6, comparison_schools=6, pupils=None))
    assert rating.mdes is not None and rating.mdes > 0.6
    assert rating.padlocks == 0
    assert any(lost.criterion == "size" and "12 schools" in lost.reason for lost in rating.lost)


@pytest.mark.parametrize(
    ("attrition", "padlocks"), [(0.09, 5), (0.10, 4), (0.25, 3), (0.35, 2), (0.45, 1), (0.6, 0)]
)
def test_attrition_bands_cap_the_rating(attrition: float, padlocks: int) -> None:
    assert security_rating(evidence(attrition=attrition)).padlocks == padlocks


@pytest.mark.parametrize(("gap", "padlocks"), [(0.05, 5), (-0.1, 4), (0.3, 3)])
def test_an_imbalance_at_baseline_costs_one_or_two_padlocks(gap: float, padlocks: int) -> None:
    rating = security_rating(evidence(baseline_difference=gap))
    assert rating.padlocks == padlocks
    if padlocks < 5:
        assert rating.lost[-1].criterion == "baseline balance"


def test_every_reason_is_given_when_several_criteria_fall_short() -> None:
    rating = security_rating(
        evidence(design=Design.MATCHED, attrition=0.35, baseline_difference=0.1)
    )
    assert [lost.criterion for lost in rating.lost] == ["design", "attrition", "baseline balance"]
    assert rating.padlocks == 1
