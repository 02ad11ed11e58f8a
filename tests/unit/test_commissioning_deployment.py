"""Brokered support: commitments within what the contract has left; the provider is owed for
the days delivered, no more."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.commissioning.domain.deployment import (
    Deployment,
    DeploymentStatus,
    Provider,
    ProviderKind,
    cost_of,
)
from shared.errors import Conflict, Invalid
from shared.money import VatRate

STARTS = date(2026, 10, 1)
TODAY = date(2026, 12, 6)


def deployment(*, half_days: int = 10, uncommitted_pence: int = 10**9) -> Deployment:
    return Deployment.plan(
        case_id=uuid4(),
        contract_id=uuid4(),
        urn=117083,
        provider=Provider("Bushey Heath NLE", ProviderKind.NLE),
        half_days=half_days,
        day_rate_pence=65_001,
        vat_rate=VatRate.STANDARD,
        objectives="Leadership of teaching",
        expected_impact="Good at the next inspection",
        starts_on=STARTS,
        uncommitted_pence=uncommitted_pence,
        contract_runs=(date(2026, 4, 1), date(2027, 3, 31)),
        case_opened_on=date(2026, 4, 1),
    )


@given(st.integers(0, 1000), st.integers(1, 10**7))
def test_half_days_cost_half_a_day_rate_each_rounded_half_up(half_days: int, rate: int) -> None:
    cost = cost_of(half_days, rate)
    assert abs(2 * cost - half_days * rate) <= 1
    assert 2 * cost >= half_days * rate


def test_a_deployment_beyond_what_remains_uncommitted_is_refused_with_the_amounts() -> None:
    with pytest.raises(Invalid) as refused:
        deployment(half_days=10, uncommitted_pence=325_004)  # costs 325,005
    assert refused.value.field == "half_days"
    assert "325005" in refused.value.message and "325004" in refused.value.message
    assert deployment(half_days=10, uncommitted_pence=325_005).committed_pence == 325_005


def test_completion_pays_the_half_days_delivered_and_releases_the_rest() -> None:
    planned = deployment(half_days=10)
    amounts = planned.complete(delivered_half_days=7, on=date(2026, 11, 30), today=TODAY)
    assert (amounts.net, amounts.vat) == (227_504, 45_501)  # 3.5 × £650.01, VAT 20%
    assert planned.status is DeploymentStatus.COMPLETED
    assert planned.committed_pence == 227_504
    with pytest.raises(Conflict):
        planned.complete(delivered_half_days=1, on=date(2026, 12, 1), today=TODAY)


def test_more_days_than_planned_or_before_the_start_cannot_be_completed() -> None:
    planned = deployment(half_days=4)
    with pytest.raises(Invalid) as refused:
        planned.complete(delivered_half_days=5, on=date(2026, 11, 1), today=TODAY)
    assert refused.value.field == "half_days"
    with pytest.raises(Invalid) as refused:
        planned.complete(delivered_half_days=4, on=date(2026, 9, 30), today=TODAY)
    assert refused.value.field == "completed_on"
    assert planned.status is DeploymentStatus.PLANNED


def test_support_cannot_be_recorded_as_delivered_after_today() -> None:
    planned = deployment(half_days=4)
    with pytest.raises(Invalid) as refused:
        planned.complete(delivered_half_days=4, on=date(2026, 12, 7), today=TODAY)
    assert refused.value.field == "completed_on"
    assert (planned.status, planned.completed_on) == (DeploymentStatus.PLANNED, None)
    planned.complete(delivered_half_days=4, on=TODAY, today=TODAY)
    assert planned.status is DeploymentStatus.COMPLETED
