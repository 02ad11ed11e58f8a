"""What a programme's cost counts, and what its impact cost per pupil."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.evaluation.domain.cost import CostPosting, programme_cost_pence, value_for_money

DELIVERY = "statutory:cost:delivery"
URN = 117088


def test_a_linked_case_costs_its_own_deployments_not_a_later_case_s_at_the_same_school() -> None:
    contract, linked, later = uuid4(), uuid4(), uuid4()
    postings = [
        CostPosting(DELIVERY, 150_000, URN, None, contract, case_id=linked),
        CostPosting(DELIVERY, 400_000, URN, None, contract, case_id=later),
    ]
    total = programme_cost_pence(
        postings,
        service_ids=set(),
        case_ids={linked},
        supported={(contract, URN)},
        participants={URN},
    )
    assert total == 150_000


def test_a_posting_whose_case_is_not_known_falls_back_to_its_contract_and_school() -> None:
    contract = uuid4()
    postings = [
        CostPosting(DELIVERY, 150_000, URN, None, contract),
        CostPosting(DELIVERY, 90_000, 117099, None, contract),
    ]
    total = programme_cost_pence(
        postings,
        service_ids=set(),
        case_ids={uuid4()},
        supported={(contract, URN)},
        participants={URN},
    )
    assert total == 150_000


def test_under_half_a_penny_a_pupil_still_gives_an_impact() -> None:
    value = value_for_money(cost_pence=1_000, pupils=2_001, effect_size=0.2)  # £10, 0.5p a pupil
    assert value.cost_per_pupil_pence == 0  # as shown
    assert value.impact_per_1000_pounds_per_pupil == pytest.approx(0.2 * 100_000 * 2_001 / 1_000)


def test_impact_divides_by_the_exact_cost_per_pupil_not_the_rounded_one() -> None:
    value = value_for_money(cost_pence=150, pupils=100, effect_size=0.2)  # 1.5p a pupil
    assert value.cost_per_pupil_pence == 2
    assert value.impact_per_1000_pounds_per_pupil == pytest.approx(0.2 / (1.5 / 100_000))


def test_no_cost_recorded_gives_no_cost_per_pupil_and_no_impact() -> None:
    value = value_for_money(cost_pence=0, pupils=2_001, effect_size=0.2)
    assert value.cost_per_pupil_pence is None
    assert value.impact_per_1000_pounds_per_pupil is None


def test_what_is_spent_after_the_programme_s_last_day_is_not_its_cost() -> None:
    service = uuid4()
    postings = [
        CostPosting("traded:income:school-improvement", -325_000, URN, service, None,
                    posted_on=date(2024, 9, 2)),
        CostPosting("traded:income:school-improvement", -27_084, URN, service, None,
                    posted_on=date(2026, 12, 31)),
    ]  # fmt: skip
    found = programme_cost_pence(
        postings,
        service_ids={service},
        case_ids=set(),
        supported=set(),
        participants={URN},
        runs_on=lambda day: day <= date(2025, 8, 31),
    )
    assert found == 325_000
    no_end = programme_cost_pence(
        postings, service_ids={service}, case_ids=set(), supported=set(), participants={URN}
    )
    assert no_end == 352_084  # no end: all of it


def test_what_a_school_taking_no_part_kept_of_a_cancelled_order_is_no_cost_of_the_programme() -> (
    None
):
    """A course cancelled a few days before it ran keeps its fee, and the school leaves the
    participants: its money was counted in the cost while its pupils were not."""
    service, cancelled = uuid4(), 117099
    postings = [
        CostPosting("traded:income:cpd", -59_500, URN, service, None),
        CostPosting("traded:income:cpd", -59_500, cancelled, service, None),
    ]
    found = programme_cost_pence(
        postings, service_ids={service}, case_ids=set(), supported=set(), participants={URN}
    )
    assert found == 59_500
