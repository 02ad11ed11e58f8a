"""The LA's contract register: contracts, their variations and milestones, and sign-off."""

from __future__ import annotations

from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response, status

from services.commissioning.adapters.transparency_csv import register_csv
from services.commissioning.application import contracts, views
from services.commissioning.domain.particulars import Particulars
from services.commissioning.domain.terms import Variation
from services.commissioning.entrypoints.deps import BusDep, Officer, Reader, UnitOfWorkDep
from services.commissioning.entrypoints.schemas import (
    ContractPublic,
    CreditPendingPublic,
    InvoiceFiguresPublic,
    LaInvoicePublic,
    MilestonePublic,
)
from shared.api.commissioning import (
    ContractCreate,
    MilestoneCreate,
    ParticularsCreate,
    SignOffCreate,
    SignOffPublic,
    VariationCreate,
    VariationDeclineCreate,
)
from shared.deps import Today

router = APIRouter(prefix="/contracts", tags=["contracts"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def record_contract(
    body: ContractCreate, request: Request, bus: BusDep, today: Today, _: Officer
) -> ContractPublic:
    """Record a statutory contract in the register: signed (today, unless `signed_on` says
    otherwise) or, with `draft`, to be signed later. The supplier defaults to the company."""
    fields = body.model_dump()
    fields["supplier_name"] = body.supplier_name or request.app.state.settings.company_name
    particulars = Particulars(**{k: fields.pop(k) for k in ParticularsCreate.model_fields})
    draft, signed_on = fields.pop("draft"), fields.pop("signed_on")
    command = contracts.RecordContract(
        **fields, particulars=particulars, signed_on=None if draft else signed_on or today
    )
    return ContractPublic.of(await bus.handle(command), today=today)


@router.get("")
async def list_contracts(uow: UnitOfWorkDep, today: Today, _: Reader) -> list[ContractPublic]:
    """The contract register."""
    return [ContractPublic.of(contract, today=today) for contract in await views.contracts(uow)]


@router.get("/register.csv", response_class=Response)
async def register_export(uow: UnitOfWorkDep, today: Today, _: Reader) -> Response:
    """The register as CSV, in the Local Government Transparency Code's column order."""
    return Response(
        register_csv(await views.contracts(uow), today=today),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="contract-register.csv"'},
    )


@router.get("/{contract_id}")
async def get_contract(
    contract_id: UUID, uow: UnitOfWorkDep, today: Today, _: Reader
) -> ContractPublic:
    """One contract with its current terms, variations and milestones."""
    return ContractPublic.of(await views.contract(uow, contract_id), today=today)


@router.get("/{contract_id}/service-credits/pending")
async def pending_credits(
    contract_id: UUID, uow: UnitOfWorkDep, _: Reader
) -> list[CreditPendingPublic]:
    """Service credits (net) earned under a contract and not yet taken off any invoice, oldest
    first; with no milestone left to sign off, none will be taken off one."""
    found = await views.pending_credits(uow, contract_id)
    return [CreditPendingPublic.of(credit) for credit in found]


@router.post("/{contract_id}/sign")
async def sign_contract(contract_id: UUID, bus: BusDep, today: Today, _: Officer) -> ContractPublic:
    """Sign a draft contract: it comes into force today."""
    return ContractPublic.of(await bus.handle(contracts.SignContract(contract_id)), today=today)


@router.post("/{contract_id}/close")
async def close_contract(
    contract_id: UUID, bus: BusDep, today: Today, _: Officer
) -> ContractPublic:
    """Close a contract: nothing more is signed off or deployed under it."""
    return ContractPublic.of(await bus.handle(contracts.CloseContract(contract_id)), today=today)


@router.post("/{contract_id}/variations", status_code=status.HTTP_201_CREATED)
async def vary_contract(
    contract_id: UUID,
    body: VariationCreate,
    bus: BusDep,
    today: Today,
    officer: Officer,
) -> ContractPublic:
    """Vary a contract's value, term or scope, approved by the signed-in officer; the history
    is kept and the terms follow it. A change of value over the threshold (the setting
    `variation_second_approval_over_pence`) waits in `pending_variations` for a second,
    different officer's approval."""
    fields = body.model_dump()
    fields["approved_on"] = body.approved_on or today
    variation = Variation(id=uuid4(), approved_by=officer.subject, **fields)
    command = contracts.VaryContract(contract_id, variation)
    return ContractPublic.of(await bus.handle(command), today=today)


@router.post("/{contract_id}/variations/{variation_id}/approve")
async def approve_variation(
    contract_id: UUID, variation_id: UUID, bus: BusDep, today: Today, officer: Officer
) -> ContractPublic:
    """Approve a waiting variation as the second, different officer: it takes effect today.
    The officer who proposed it is refused (403)."""
    command = contracts.ApproveVariation(contract_id, variation_id, by=officer.subject)
    return ContractPublic.of(await bus.handle(command), today=today)


@router.post("/{contract_id}/variations/{variation_id}/decline")
async def decline_variation(
    contract_id: UUID,
    variation_id: UUID,
    body: VariationDeclineCreate,
    bus: BusDep,
    today: Today,
    officer: Officer,
) -> ContractPublic:
    """Decline a waiting variation, saying why: it never takes effect. Any officer may, the
    one who proposed it included (withdrawing it); the audit trail keeps who and why."""
    command = contracts.DeclineVariation(
        contract_id, variation_id, by=officer.subject, reason=body.reason
    )
    return ContractPublic.of(await bus.handle(command), today=today)


@router.post("/{contract_id}/milestones", status_code=status.HTTP_201_CREATED)
async def add_milestone(
    contract_id: UUID, body: MilestoneCreate, bus: BusDep, _: Officer
) -> MilestonePublic:
    """Schedule a milestone; all milestones together may not exceed the contract value."""
    command = contracts.AddMilestone(contract_id=contract_id, **body.model_dump())
    return MilestonePublic.of(await bus.handle(command))


@router.get("/{contract_id}/milestones/{milestone_id}/invoice-to-raise")
async def invoice_to_raise(
    contract_id: UUID, milestone_id: UUID, uow: UnitOfWorkDep, _: Reader
) -> InvoiceFiguresPublic:
    """The invoice signing the milestone off would raise now: its payment with VAT, the service
    credits pending on the contract that would come off it, and what the LA would pay. A
    milestone signed off already has its invoice (409)."""
    found = await views.invoice_to_raise(uow, contract_id, milestone_id)
    return InvoiceFiguresPublic.of(found.amounts, found.credits, found.vat_rate)


@router.post("/{contract_id}/milestones/{milestone_id}/complete")
async def complete_milestone(
    contract_id: UUID,
    milestone_id: UUID,
    body: SignOffCreate,
    bus: BusDep,
    officer: Officer,
) -> SignOffPublic:
    """Sign a milestone off on the evidence given: the LA is invoiced for its payment, less any
    service credits. The signer is the token's subject, recorded with the time. Given what the
    officer was shown the LA pays, a sign-off whose invoice would now ask another figure is
    refused (409, naming `payable_gross_pence`) and nothing is invoiced."""
    command = contracts.CompleteMilestone(
        contract_id,
        milestone_id,
        by=officer.subject,
        evidence=body.evidence,
        payable_gross_pence=body.payable_gross_pence,
    )
    signed: contracts.SignOff = await bus.handle(command)
    return SignOffPublic(
        milestone=MilestonePublic.of(signed.milestone),
        invoice=LaInvoicePublic.of(signed.invoice, signed.credits, signed.vat_rate),
    )
