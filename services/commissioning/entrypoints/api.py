"""Commissioning HTTP API: the LA's contract register and milestone sign-off."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from services.commissioning.application import handlers
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.contract import (
    Contract,
    ContractStatus,
    FundingSource,
    Milestone,
)
from shared.auth import Principal, Role
from shared.deps import unit_of_work
from shared.http import require
from shared.money import VatRate

router = APIRouter(prefix="/contracts", tags=["contracts"])

UnitOfWorkDep = Annotated[CommissioningUnitOfWork, Depends(unit_of_work)]
Officer = Annotated[Principal, Depends(require(Role.LA_OFFICER, Role.ADMIN))]
Reader = Annotated[Principal, Depends(require(Role.LA_OFFICER, Role.FINANCE, Role.ADMIN))]


class ContractCreate(BaseModel):
    reference: str = Field(min_length=2, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    statutory_duty: str = Field(min_length=1)
    funding_source: FundingSource
    value_pence: int = Field(gt=0)
    vat_rate: VatRate = VatRate.STANDARD
    start_on: date
    end_on: date


class MilestoneCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    due_on: date
    payment_pence: int = Field(gt=0)


class MilestonePublic(BaseModel):
    id: UUID
    title: str
    due_on: date
    payment_pence: int
    completed_on: date | None

    @classmethod
    def of(cls, milestone: Milestone) -> MilestonePublic:
        return cls.model_validate(milestone.__dict__)


class LaInvoicePublic(BaseModel):
    id: UUID
    number: str
    issued_on: date
    due_on: date
    net_pence: int
    vat_pence: int
    gross_pence: int


class SignOffPublic(BaseModel):
    milestone: MilestonePublic
    invoice: LaInvoicePublic


class ContractPublic(BaseModel):
    id: UUID
    reference: str
    title: str
    statutory_duty: str
    funding_source: FundingSource
    value_pence: int
    vat_rate: VatRate
    start_on: date
    end_on: date
    status: ContractStatus
    scheduled_pence: int
    milestones: list[MilestonePublic]

    @classmethod
    def of(cls, contract: Contract) -> ContractPublic:
        return cls(
            **{
                **contract.__dict__,
                "milestones": [MilestonePublic.of(m) for m in contract.milestones],
            },
            scheduled_pence=contract.scheduled_pence,
        )


@router.post("", status_code=status.HTTP_201_CREATED)
async def record_contract(body: ContractCreate, uow: UnitOfWorkDep, _: Officer) -> ContractPublic:
    """Record a statutory contract in the register."""
    async with uow:
        contract = await handlers.record_contract(uow, handlers.RecordContract(**body.model_dump()))
    return ContractPublic.of(contract)


@router.get("")
async def list_contracts(uow: UnitOfWorkDep, _: Reader) -> list[ContractPublic]:
    """The contract register."""
    async with uow:
        return [ContractPublic.of(contract) for contract in await uow.contracts.list()]


@router.get("/{contract_id}")
async def get_contract(contract_id: UUID, uow: UnitOfWorkDep, _: Reader) -> ContractPublic:
    """One contract with its milestones."""
    async with uow:
        return ContractPublic.of(await uow.contracts.get(contract_id))


@router.post("/{contract_id}/milestones", status_code=status.HTTP_201_CREATED)
async def add_milestone(
    contract_id: UUID, body: MilestoneCreate, uow: UnitOfWorkDep, _: Officer
) -> MilestonePublic:
    """Schedule a milestone; all milestones together may not exceed the contract value."""
    async with uow:
        milestone = await handlers.add_milestone(
            uow, handlers.AddMilestone(contract_id=contract_id, **body.model_dump())
        )
    return MilestonePublic.of(milestone)


@router.post("/{contract_id}/milestones/{milestone_id}/complete")
async def complete_milestone(
    contract_id: UUID, milestone_id: UUID, request: Request, uow: UnitOfWorkDep, _: Officer
) -> SignOffPublic:
    """Sign a milestone off: the LA is invoiced for its payment."""
    async with uow:
        milestone, invoice = await handlers.complete_milestone(
            uow,
            contract_id=contract_id,
            milestone_id=milestone_id,
            today=date.today(),
            payment_days=request.app.state.settings.invoice_payment_days,
        )
    return SignOffPublic(
        milestone=MilestonePublic.of(milestone),
        invoice=LaInvoicePublic(
            id=invoice.id,
            number=invoice.number,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
            net_pence=invoice.amounts.net,
            vat_pence=invoice.amounts.vat,
            gross_pence=invoice.amounts.gross,
        ),
    )
