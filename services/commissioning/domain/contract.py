"""A statutory contract between the LA and the company, and the milestones it pays for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from shared.errors import Conflict, Invalid, NotFound
from shared.money import Amounts, VatRate, vat_on


class FundingSource(StrEnum):
    COUNCIL_BUDGET = "council_budget"
    DE_DELEGATED = "de_delegated"
    GRANT = "grant"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


@dataclass
class Milestone:
    id: UUID
    title: str
    due_on: date
    payment_pence: int
    completed_on: date | None = None

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


@dataclass(frozen=True)
class LaInvoice:
    id: UUID
    number: str
    contract_id: UUID
    milestone_id: UUID
    issued_on: date
    due_on: date
    amounts: Amounts


@dataclass
class Contract:
    id: UUID
    reference: str
    title: str
    statutory_duty: str
    funding_source: FundingSource
    value_pence: int
    vat_rate: VatRate
    start_on: date
    end_on: date
    status: ContractStatus = ContractStatus.ACTIVE
    milestones: list[Milestone] = field(default_factory=list)

    @classmethod
    def record(
        cls,
        *,
        reference: str,
        title: str,
        statutory_duty: str,
        funding_source: FundingSource,
        value_pence: int,
        vat_rate: VatRate,
        start_on: date,
        end_on: date,
    ) -> Contract:
        if value_pence <= 0:
            raise Invalid("a contract's value must be more than zero", field="value_pence")
        if end_on <= start_on:
            raise Invalid("a contract must end after it starts", field="end_on")
        return cls(
            id=uuid4(),
            reference=reference,
            title=title,
            statutory_duty=statutory_duty,
            funding_source=funding_source,
            value_pence=value_pence,
            vat_rate=vat_rate,
            start_on=start_on,
            end_on=end_on,
        )

    @property
    def scheduled_pence(self) -> int:
        return sum(milestone.payment_pence for milestone in self.milestones)

    def add_milestone(self, *, title: str, due_on: date, payment_pence: int) -> Milestone:
        if payment_pence <= 0:
            raise Invalid("a milestone's payment must be more than zero", field="payment_pence")
        if not self.start_on <= due_on <= self.end_on:
            raise Invalid(
                f"the milestone must fall within the contract term "
                f"({self.start_on} to {self.end_on})",
                field="due_on",
            )
        remaining = self.value_pence - self.scheduled_pence
        if payment_pence > remaining:
            raise Invalid(
                f"milestone payments would exceed the contract value: "
                f"{remaining} pence remain unscheduled",
                field="payment_pence",
            )
        milestone = Milestone(id=uuid4(), title=title, due_on=due_on, payment_pence=payment_pence)
        self.milestones.append(milestone)
        return milestone

    def complete_milestone(self, milestone_id: UUID, *, on: date) -> Milestone:
        milestone = next((m for m in self.milestones if m.id == milestone_id), None)
        if milestone is None:
            raise NotFound(f"no milestone {milestone_id} on contract {self.reference}")
        if milestone.completed:
            raise Conflict(
                f"milestone {milestone.title!r} was signed off on {milestone.completed_on}"
            )
        if self.status is not ContractStatus.ACTIVE:
            raise Conflict(f"contract {self.reference} is {self.status}")
        milestone.completed_on = on
        return milestone

    def invoice(
        self, milestone: Milestone, *, number: str, today: date, payment_days: int
    ) -> LaInvoice:
        """The invoice to the LA for a signed-off milestone."""
        if not milestone.completed:
            raise Conflict(f"milestone {milestone.title!r} has not been signed off")
        return LaInvoice(
            id=uuid4(),
            number=number,
            contract_id=self.id,
            milestone_id=milestone.id,
            issued_on=today,
            due_on=today + timedelta(days=payment_days),
            amounts=self.amounts_for(milestone),
        )

    def amounts_for(self, milestone: Milestone) -> Amounts:
        return Amounts(
            net=milestone.payment_pence, vat=vat_on(milestone.payment_pence, self.vat_rate)
        )
