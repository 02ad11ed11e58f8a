"""Brokered support: a provider deployed to a case for a number of half days at a day rate.
What is committed to support under a contract may not exceed what remains of its value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from shared.api.commissioning import DeploymentStatus as DeploymentStatus
from shared.api.commissioning import ProviderKind as ProviderKind
from shared.calendar import long_date
from shared.dates import refuse_future
from shared.errors import Conflict, Invalid
from shared.money import Amounts, VatRate, vat_on


@dataclass(frozen=True)
class Provider:
    name: str
    kind: ProviderKind
    catalogue_id: UUID | None = None  # the catalogue owns the provider register


def cost_of(half_days: int, day_rate_pence: int) -> int:
    """Half days at a day rate, to the penny (an odd rate's half day rounds half up)."""
    return (half_days * day_rate_pence + 1) // 2


def committed_to(support: Iterable[Deployment]) -> int:
    """What support under a contract holds of its value."""
    return sum(deployment.committed_pence for deployment in support)


@dataclass
class Deployment:
    id: UUID
    case_id: UUID
    contract_id: UUID
    urn: int
    provider: Provider
    half_days: int
    day_rate_pence: int
    vat_rate: VatRate
    objectives: str
    expected_impact: str
    starts_on: date
    status: DeploymentStatus = DeploymentStatus.PLANNED
    delivered_half_days: int | None = None
    completed_on: date | None = None

    @classmethod
    def plan(
        cls,
        *,
        case_id: UUID,
        contract_id: UUID,
        urn: int,
        provider: Provider,
        half_days: int,
        day_rate_pence: int,
        vat_rate: VatRate,
        objectives: str,
        expected_impact: str,
        starts_on: date,
        uncommitted_pence: int,
        contract_runs: tuple[date, date],
        case_opened_on: date,
    ) -> Deployment:
        """Support under a contract starts within its term (`contract_runs`, first and last
        day): its provider cost, once delivered, is then booked in a year the contract ran in.
        It answers its case, so it starts no earlier than the case was opened."""
        first, last = contract_runs
        if not first <= starts_on <= last:
            raise Invalid(
                f"support under this contract starts within its term, "
                f"{long_date(first)} to {long_date(last)}",
                field="starts_on",
            )
        if starts_on < case_opened_on:
            raise Invalid(
                f"support starts on or after its case was opened, {long_date(case_opened_on)}",
                field="starts_on",
            )
        if half_days <= 0:
            raise Invalid("a deployment needs at least one half day", field="half_days")
        if day_rate_pence <= 0:
            raise Invalid("the day rate must be more than zero", field="day_rate_pence")
        if not objectives.strip():
            raise Invalid("agree the objectives of the support", field="objectives")
        cost = cost_of(half_days, day_rate_pence)
        if cost > uncommitted_pence:
            raise Invalid(
                f"this deployment would commit {cost} pence but only {uncommitted_pence} pence "
                f"of the contract value remain uncommitted",
                field="half_days",
            )
        return cls(
            id=uuid4(),
            case_id=case_id,
            contract_id=contract_id,
            urn=urn,
            provider=provider,
            half_days=half_days,
            day_rate_pence=day_rate_pence,
            vat_rate=vat_rate,
            objectives=objectives,
            expected_impact=expected_impact,
            starts_on=starts_on,
        )

    @property
    def committed_pence(self) -> int:
        """What the deployment holds of the contract value: its plan until done, then its cost."""
        held = self.half_days if self.delivered_half_days is None else self.delivered_half_days
        return cost_of(held, self.day_rate_pence)

    def complete(self, *, delivered_half_days: int, on: date, today: date) -> Amounts:
        """Record the days delivered; the provider is owed for them (and no more)."""
        if self.status is DeploymentStatus.COMPLETED:
            raise Conflict(f"the deployment was completed on {self.completed_on}")
        if not 0 < delivered_half_days <= self.half_days:
            raise Invalid(
                f"between 1 and the {self.half_days} half days planned may be delivered",
                field="half_days",
            )
        if on < self.starts_on:
            raise Invalid("support cannot be completed before it starts", field="completed_on")
        refuse_future(
            on,
            today=today,
            refusal="support cannot be completed in the future",
            field="completed_on",
        )
        self.status = DeploymentStatus.COMPLETED
        self.delivered_half_days = delivered_half_days
        self.completed_on = on
        net = cost_of(delivered_half_days, self.day_rate_pence)
        return Amounts(net=net, vat=vat_on(net, self.vat_rate))
