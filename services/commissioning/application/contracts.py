"""Use cases of the contract register: record, sign, vary, close, schedule and sign off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from services.commissioning.application import events_out
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.contract import Contract
from services.commissioning.domain.kpi import ServiceCredit, credits_to_apply
from services.commissioning.domain.milestone import LaInvoice, Milestone
from services.commissioning.domain.particulars import FundingSource, Particulars
from services.commissioning.domain.terms import Variation
from shared.money import VatRate


@dataclass(frozen=True)
class RecordContract:
    reference: str
    title: str
    statutory_duty: str
    funding_source: FundingSource
    value_pence: int
    vat_rate: VatRate
    start_on: date
    end_on: date
    description: str = ""
    particulars: Particulars = field(default_factory=Particulars)
    signed_on: date | None = None  # None records a draft


@dataclass(frozen=True)
class AddMilestone:
    contract_id: UUID
    title: str
    due_on: date
    payment_pence: int


@dataclass(frozen=True)
class SignOff:
    milestone: Milestone
    invoice: LaInvoice
    credits: list[ServiceCredit]
    vat_rate: VatRate


async def record_contract(uow: CommissioningUnitOfWork, command: RecordContract) -> Contract:
    fields = {k: v for k, v in command.__dict__.items() if k != "signed_on"}
    contract = Contract.record(**fields)
    if command.signed_on:
        contract.sign(on=command.signed_on)
        uow.record(events_out.contract_signed(contract))
    await uow.contracts.add(contract)
    await uow.commit()
    return contract


async def sign_contract(uow: CommissioningUnitOfWork, contract_id: UUID, *, on: date) -> Contract:
    contract = await uow.contracts.get(contract_id, for_update=True)
    contract.sign(on=on)
    await uow.contracts.save(contract)
    uow.record(events_out.contract_signed(contract))
    await uow.commit()
    return contract


async def vary_contract(
    uow: CommissioningUnitOfWork, contract_id: UUID, variation: Variation
) -> Contract:
    contract = await uow.contracts.get(contract_id, for_update=True)
    contract.vary(variation, committed_pence=await uow.deployments.committed_pence(contract_id))
    await uow.contracts.save(contract)
    uow.record(events_out.contract_varied(contract, variation))
    await uow.commit()
    return contract


async def close_contract(uow: CommissioningUnitOfWork, contract_id: UUID, *, on: date) -> Contract:
    contract = await uow.contracts.get(contract_id, for_update=True)
    contract.close(on=on)
    await uow.contracts.save(contract)
    await uow.commit()
    return contract


async def add_milestone(uow: CommissioningUnitOfWork, command: AddMilestone) -> Milestone:
    contract = await uow.contracts.get(command.contract_id, for_update=True)
    milestone = contract.add_milestone(
        title=command.title, due_on=command.due_on, payment_pence=command.payment_pence
    )
    await uow.contracts.save(contract)
    await uow.commit()
    return milestone


async def complete_milestone(
    uow: CommissioningUnitOfWork,
    *,
    contract_id: UUID,
    milestone_id: UUID,
    at: datetime,
    by: str,
    evidence: str,
    payment_days: int,
) -> SignOff:
    """Sign a milestone off and invoice the LA for it, less any service credits it has earned,
    in one transaction."""
    contract = await uow.contracts.get(contract_id, for_update=True)
    milestone = contract.complete_milestone(milestone_id, at=at, by=by, evidence=evidence)
    today = at.date()
    invoice = contract.invoice(
        milestone, number=await uow.invoices.next_number(), today=today, payment_days=payment_days
    )
    await uow.contracts.save(contract)
    await uow.invoices.add(invoice)
    uow.record(events_out.milestone_completed(contract, milestone))
    uow.record(events_out.la_invoice_raised(contract, invoice))
    pending = await uow.kpis.credits(contract_id=contract_id)
    credits = [
        credit.applied_to(invoice.id, on=today)
        for credit in credits_to_apply(pending, invoice_net_pence=invoice.amounts.net)
    ]
    for credit in credits:
        await uow.kpis.save_credit(credit)
        uow.record(events_out.service_credit_applied(contract, credit, invoice))
    await uow.commit()
    return SignOff(milestone, invoice, credits, contract.vat_rate)
