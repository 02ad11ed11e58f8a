"""Use cases of the contract register: record, sign, vary, close, schedule and sign off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from services.commissioning.application import events_out
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.config import Settings
from services.commissioning.domain.contract import Contract
from services.commissioning.domain.deployment import committed_to
from services.commissioning.domain.kpi import ServiceCredit, credited_amounts, take_off_invoice
from services.commissioning.domain.milestone import LaInvoice, Milestone
from services.commissioning.domain.particulars import FundingSource, Particulars
from services.commissioning.domain.terms import Variation
from services.commissioning.domain.work_under import WorkUnder
from shared.bus import Command
from shared.clock import business_day
from shared.dates import refuse_future
from shared.errors import Conflict
from shared.money import Amounts, VatRate, format_pounds


@dataclass(frozen=True)
class RecordContract(Command["Contract"]):
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
class AddMilestone(Command["Milestone"]):
    contract_id: UUID
    title: str
    due_on: date
    payment_pence: int


@dataclass(frozen=True)
class SignContract(Command["Contract"]):
    contract_id: UUID


@dataclass(frozen=True)
class CloseContract(Command["Contract"]):
    contract_id: UUID


@dataclass(frozen=True)
class VaryContract(Command["Contract"]):
    """Vary a contract as its approver proposes; a change of value over the threshold (the
    setting `variation_second_approval_over_pence`) waits for a second person's approval."""

    contract_id: UUID
    variation: Variation


@dataclass(frozen=True)
class ApproveVariation(Command["Contract"]):
    """A second, different person approves a waiting variation: it takes effect today."""

    contract_id: UUID
    variation_id: UUID
    by: str


@dataclass(frozen=True)
class DeclineVariation(Command["Contract"]):
    """A waiting variation refused, with the reason, by any officer (its proposer withdrawing
    it, or a second officer refusing it): it never takes effect."""

    contract_id: UUID
    variation_id: UUID
    by: str
    reason: str


@dataclass(frozen=True)
class CompleteMilestone(Command["SignOff"]):
    """Sign a milestone off and invoice the LA for it, less any service credits it has
    earned."""

    contract_id: UUID
    milestone_id: UUID
    by: str
    evidence: str
    payable_gross_pence: int | None = None  # as the officer was shown it; None: not checked


@dataclass(frozen=True)
class SignOff:
    milestone: Milestone
    invoice: LaInvoice
    credits: list[ServiceCredit]
    vat_rate: VatRate


async def record_contract(
    command: RecordContract, *, uow: CommissioningUnitOfWork, today: date
) -> Contract:
    fields = {k: v for k, v in command.__dict__.items() if k != "signed_on"}
    if command.signed_on:
        refuse_future(
            command.signed_on,
            today=today,
            refusal="a contract cannot have been signed after today",
            field="signed_on",
        )
    contract = Contract.record(**fields)
    uow.audit(
        "contract.recorded",
        object_type="contract",
        object_id=contract.id,
        summary=f"{contract.reference}: {contract.title}, {format_pounds(contract.value_pence)}",
    )
    if command.signed_on:
        contract.sign(on=command.signed_on)
        uow.record(events_out.contract_signed(contract))
    await uow.contracts.add(contract)
    return contract


async def sign_contract(
    command: SignContract, *, uow: CommissioningUnitOfWork, today: date
) -> Contract:
    contract = await uow.contracts.get(command.contract_id, for_update=True)
    contract.sign(on=today)
    await uow.contracts.save(contract)
    uow.record(events_out.contract_signed(contract))
    return contract


async def vary_contract(
    command: VaryContract, *, uow: CommissioningUnitOfWork, settings: Settings, today: date
) -> Contract:
    contract = await uow.contracts.get(command.contract_id, for_update=True)
    work = await _work_under(uow, contract)
    standing = contract.propose(
        command.variation,
        committed_pence=committed_to(work.support),
        second_approval_over_pence=settings.variation_second_approval_over_pence,
        today=today,
        work=work,
    )
    await uow.contracts.save(contract)
    if standing.awaits_approval:
        uow.audit(
            "contract.variation_proposed",
            object_type="contract",
            object_id=contract.id,
            summary=f"{_described(contract, standing)}; awaits a second person's approval",
        )
    else:
        uow.record(
            events_out.contract_varied(contract, standing),
            summary=_described(contract, standing),
        )
    return contract


async def approve_variation(
    command: ApproveVariation, *, uow: CommissioningUnitOfWork, today: date
) -> Contract:
    contract = await uow.contracts.get(command.contract_id, for_update=True)
    work = await _work_under(uow, contract)
    approved = contract.approve(
        command.variation_id,
        by=command.by,
        on=today,
        committed_pence=committed_to(work.support),
        work=work,
    )
    await uow.contracts.save(contract)
    uow.record(
        events_out.contract_varied(contract, approved),
        summary=f"{_described(contract, approved)}; proposed by {approved.proposed_by}",
    )
    return contract


async def _work_under(uow: CommissioningUnitOfWork, contract: Contract) -> WorkUnder:
    """The support brokered and the cases opened under the contract, which a variation of its
    term must still cover."""
    support = await uow.deployments.find(contract_id=contract.id)
    return WorkUnder(support, await uow.cases.find(contract_id=contract.id))


async def decline_variation(command: DeclineVariation, *, uow: CommissioningUnitOfWork) -> Contract:
    contract = await uow.contracts.get(command.contract_id, for_update=True)
    declined = contract.decline(command.variation_id)
    await uow.contracts.save(contract)
    uow.audit(
        "variation.declined",
        object_type="contract",
        object_id=contract.id,
        summary=f"{_described(contract, declined)}, proposed by {declined.proposed_by}: "
        f"declined by {command.by}: {command.reason}",
    )
    return contract


async def close_contract(
    command: CloseContract, *, uow: CommissioningUnitOfWork, today: date
) -> Contract:
    contract = await uow.contracts.get(command.contract_id, for_update=True)
    contract.close(on=today)
    await uow.contracts.save(contract)
    uow.audit("contract.closed", object_type="contract", object_id=contract.id)
    return contract


async def add_milestone(command: AddMilestone, *, uow: CommissioningUnitOfWork) -> Milestone:
    contract = await uow.contracts.get(command.contract_id, for_update=True)
    milestone = contract.add_milestone(
        title=command.title, due_on=command.due_on, payment_pence=command.payment_pence
    )
    await uow.contracts.save(contract)
    uow.audit(
        "milestone.added",
        object_type="milestone",
        object_id=milestone.id,
        summary=f"{milestone.title} on {contract.reference}, {format_pounds(milestone.payment_pence)}",
    )
    return milestone


async def complete_milestone(
    command: CompleteMilestone, *, uow: CommissioningUnitOfWork, now: datetime, settings: Settings
) -> SignOff:
    contract_id = command.contract_id
    contract = await uow.contracts.get(contract_id, for_update=True)
    milestone = contract.complete_milestone(
        command.milestone_id, at=now, by=command.by, evidence=command.evidence
    )
    today = business_day(now)
    invoice = contract.invoice(
        milestone,
        number=await uow.invoices.next_number(),
        today=today,
        payment_days=settings.invoice_payment_days,
    )
    await uow.contracts.save(contract)
    await uow.invoices.add(invoice)
    uow.record(
        events_out.milestone_completed(contract, milestone),
        summary=f"{milestone.title} on {contract.reference} signed off by {milestone.signed_off_by}",
    )
    uow.record(events_out.la_invoice_raised(contract, invoice))
    taken = take_off_invoice(
        await uow.kpis.credits(contract_id=contract_id),
        invoice_id=invoice.id,
        invoice_net_pence=invoice.amounts.net,
        on=today,
    )
    credited = credited_amounts(taken.applied, contract.vat_rate)
    _as_shown(invoice.payable_after(list(credited.values())), command.payable_gross_pence)
    for credit in taken.applied:
        await uow.kpis.save_credit(credit)
        uow.record(
            events_out.service_credit_applied(contract, credit, invoice, credited[credit.id])
        )
    if taken.carried:
        await uow.kpis.add_credit(taken.carried)
    return SignOff(milestone, invoice, taken.applied, contract.vat_rate)


def _as_shown(payable: Amounts, shown_gross_pence: int | None) -> None:
    """The officer signs off the invoice the confirmation page showed: the credits waiting on
    the contract may have changed since (another milestone signed off took them, another actual
    earned one), and then the officer is asked to look again rather than invoiced otherwise."""
    if shown_gross_pence is not None and payable.gross != shown_gross_pence:
        raise Conflict(
            f"the invoice this sign-off raises has changed since it was shown: the LA would pay "
            f"{format_pounds(payable.gross)}, not {format_pounds(shown_gross_pence)}, as the "
            "service credits waiting on the contract have changed; check the figures and sign "
            "off again",
            field="payable_gross_pence",
        )


def _described(contract: Contract, variation: Variation) -> str:
    changed = variation.kind.changes
    return f"{contract.reference}: {changed} to {getattr(variation, changed)} ({variation.reason})"
