"""Commissioning use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.contract import Contract, FundingSource, LaInvoice, Milestone
from shared.calendar import financial_year
from shared.events import LaInvoiceRaisedV1, MilestoneCompletedV1
from shared.money import Strand, VatRate


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


@dataclass(frozen=True)
class AddMilestone:
    contract_id: UUID
    title: str
    due_on: date
    payment_pence: int


async def record_contract(uow: CommissioningUnitOfWork, command: RecordContract) -> Contract:
    contract = Contract.record(**command.__dict__)
    await uow.contracts.add(contract)
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
    today: date,
    payment_days: int,
) -> tuple[Milestone, LaInvoice]:
    """Sign a milestone off and invoice the LA for it, in one transaction."""
    contract = await uow.contracts.get(contract_id, for_update=True)
    milestone = contract.complete_milestone(milestone_id, on=today)
    invoice = contract.invoice(
        milestone, number=await uow.invoices.next_number(), today=today, payment_days=payment_days
    )
    await uow.contracts.save(contract)
    await uow.invoices.add(invoice)
    uow.record(milestone_completed(contract, milestone))
    uow.record(la_invoice_raised(contract, invoice))
    await uow.commit()
    return milestone, invoice


def milestone_completed(contract: Contract, milestone: Milestone) -> MilestoneCompletedV1:
    amounts = contract.amounts_for(milestone)
    completed_on = milestone.completed_on or milestone.due_on
    return MilestoneCompletedV1(
        contract_id=contract.id,
        contract_reference=contract.reference,
        milestone_id=milestone.id,
        title=milestone.title,
        funding_source=contract.funding_source.value,
        completed_on=completed_on,
        strand=Strand.STATUTORY,
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        gross_pence=amounts.gross,
        financial_year=financial_year(completed_on),
    )


def la_invoice_raised(contract: Contract, invoice: LaInvoice) -> LaInvoiceRaisedV1:
    return LaInvoiceRaisedV1(
        invoice_id=invoice.id,
        invoice_number=invoice.number,
        contract_id=contract.id,
        contract_reference=contract.reference,
        milestone_id=invoice.milestone_id,
        funding_source=contract.funding_source.value,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        strand=Strand.STATUTORY,
        net_pence=invoice.amounts.net,
        vat_pence=invoice.amounts.vat,
        gross_pence=invoice.amounts.gross,
        financial_year=financial_year(invoice.issued_on),
    )
