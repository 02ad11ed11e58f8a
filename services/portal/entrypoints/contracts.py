"""The LA's commissioning desk: the contract register, new contracts, milestones, sign-off."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.commissioning import Contract
from services.portal.adapters.http import ApiError
from services.portal.domain.contract_milestones import (
    overdue,
    signed_off_from,
    unscheduled_pence,
)
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import VAT_RATES, Wording, read_date, read_pounds, submit
from services.portal.entrypoints.rendering import (
    download,
    form_of,
    form_page,
    long_date,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Officer
from services.portal.entrypoints.session import SignedIn
from shared.api.commissioning import FundingSource, MilestonePublic
from shared.deps import today_of
from shared.money import VatRate, format_pounds

router = APIRouter(prefix="/contracts")


FUNDING_SOURCES = (
    (FundingSource.COUNCIL_BUDGET, "Council budget"),
    (FundingSource.DE_DELEGATED, "De-delegated schools funding"),
    (FundingSource.GRANT, "Grant"),
)

CONTRACT_FIELDS = {"value_pence": "value"}
CONTRACT_LABELS = {
    "reference": "Reference",
    "title": "Title",
    "statutory_duty": "Statutory duty",
    "funding_source": "Funding source",
    "value": "Value",
    "vat_rate": "VAT",
    "start_on": "Start date",
    "end_on": "End date",
}
CONTRACT_WORDING = Wording(CONTRACT_LABELS, CONTRACT_FIELDS)
MILESTONE_FIELDS = {"payment_pence": "payment"}
MILESTONE_LABELS = {"title": "Title", "due_on": "Due date", "payment": "Payment"}
MILESTONE_WORDING = Wording(MILESTONE_LABELS, MILESTONE_FIELDS)
# A changed invoice is said beside the evidence, the form's one box, above the new figures.
SIGN_OFF_WORDING = Wording({"evidence": "Evidence"}, {"payable_gross_pence": "evidence"})


@router.get("")
async def register(request: Request, you: Officer) -> Response:
    contracts = await you.apis.commissioning.contracts()
    today = today_of(request)
    return render(
        request,
        "contracts/list.html",
        contracts=contracts,
        overdue_counts={c.id: len(_overdue(c, today)) for c in contracts},
    )


def _overdue(contract: Contract, today: date) -> list[MilestonePublic]:
    """A draft or closed contract has nothing overdue: nothing can be signed off under it."""
    return overdue(contract.milestones, today) if contract.in_force else []


@router.get("/new")
async def new_contract(request: Request, you: Officer) -> Response:
    return _contract_form(request, {"vat_rate": "standard"}, FormErrors())


@router.post("/new")
async def record_contract(request: Request, you: Officer) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    value = read_pounds(form, errors, "value", "the value")
    fields = {
        **{name: form.get(name, "") for name in ("reference", "title", "statutory_duty")},
        "funding_source": form.get("funding_source") or None,
        "vat_rate": form.get("vat_rate") or None,
        "value_pence": value,
        "start_on": read_date(form, errors, "start_on", "the start date"),
        "end_on": read_date(form, errors, "end_on", "the end date"),
    }
    contract = await submit(errors, lambda: you.apis.commissioning.record(fields), CONTRACT_WORDING)
    if contract is not None:
        tell_next_page(request, f"Contract {contract.reference} recorded")
        return see_other(f"/contracts/{contract.id}")
    return _contract_form(request, form, errors)


def _contract_form(request: Request, form: dict[str, str], errors: FormErrors) -> Response:
    choices = {"funding_sources": FUNDING_SOURCES, "vat_rates": VAT_RATES}
    return form_page(request, "contracts/new.html", form=form, errors=errors, **choices)


@router.get("/register.csv")
async def register_csv(you: Officer) -> Response:
    """The commissioning API's transparency-code CSV, passed on as a download."""
    return download(await you.apis.commissioning.register_csv())


@router.get("/{contract_id:uuid}")
async def contract_page(request: Request, contract_id: UUID, you: Officer) -> Response:
    contract = await you.apis.commissioning.contract(contract_id)
    kpis = await you.apis.commissioning.kpis(contract_id)
    credits = await you.apis.commissioning.pending_credits(contract_id)
    today = today_of(request)
    return render(
        request,
        "contracts/detail.html",
        contract=contract,
        kpis=kpis,
        credits_pending_pence=sum(credit.net_pence for credit in credits),
        overdue_ids={milestone.id for milestone in _overdue(contract, today)},
        sign_off_from=signed_off_from(contract.start_on, today),
        unscheduled_pence=unscheduled_pence(contract.value_pence, contract.scheduled_pence),
    )


@router.get("/{contract_id:uuid}/milestones/new")
async def new_milestone(request: Request, contract_id: UUID, you: Officer) -> Response:
    contract = await you.apis.commissioning.contract(contract_id)
    return _milestone_form(request, contract, {}, FormErrors())


@router.post("/{contract_id:uuid}/milestones/new")
async def add_milestone(request: Request, contract_id: UUID, you: Officer) -> Response:
    contract = await you.apis.commissioning.contract(contract_id)
    form = await form_of(request)
    errors = FormErrors()
    payment = read_pounds(form, errors, "payment", "the payment")
    fields = {
        "title": form.get("title", ""),
        "due_on": read_date(form, errors, "due_on", "the due date"),
        "payment_pence": payment,
    }
    milestone = await submit(
        errors, lambda: you.apis.commissioning.add_milestone(contract_id, fields), MILESTONE_WORDING
    )
    if milestone is not None:
        tell_next_page(request, f"Milestone added: {milestone.title}")
        return see_other(f"/contracts/{contract_id}")
    return _milestone_form(request, contract, form, errors)


def _milestone_form(
    request: Request, contract: Contract, form: dict[str, str], errors: FormErrors
) -> Response:
    return form_page(
        request, "contracts/milestone_new.html", form=form, errors=errors, contract=contract
    )


@router.get("/{contract_id:uuid}/milestones/{milestone_id:uuid}/sign-off")
async def confirm_sign_off(
    request: Request, contract_id: UUID, milestone_id: UUID, you: Officer
) -> Response:
    """Signing off raises an invoice to the LA: this page says for how much, less the service
    credits that will come off it, and asks for the evidence, before anything happens."""
    return await _sign_off_page(request, you, contract_id, milestone_id, {}, FormErrors())


@router.post("/{contract_id:uuid}/milestones/{milestone_id:uuid}/sign-off")
async def sign_off(
    request: Request, contract_id: UUID, milestone_id: UUID, you: Officer
) -> Response:
    """Signing off invoices the LA; the banner on the contract page names the invoice and what
    the LA is asked to pay, after any service credits (the PDF's total to pay). The
    commissioning API records the signer from the token."""
    form = await form_of(request)
    errors = FormErrors()
    if not form.get("evidence"):
        errors.add("evidence", "Say what shows the milestone is met")
        return await _sign_off_page(request, you, contract_id, milestone_id, form, errors)
    # What the page showed the LA pays: commissioning refuses the sign-off if the invoice would
    # now ask another figure, and the page is shown again with the new one.
    shown = form.get("payable_gross_pence", "")
    fields = {"evidence": form["evidence"], "payable_gross_pence": shown or None}
    signed = await submit(
        errors,
        lambda: you.apis.commissioning.sign_off(contract_id, milestone_id, fields),
        SIGN_OFF_WORDING,
    )
    if signed is None:
        return await _sign_off_page(request, you, contract_id, milestone_id, form, errors)
    invoice = signed.invoice
    credited = invoice.gross_pence - invoice.payable_gross_pence
    less = f", less {format_pounds(credited)} of service credits" if credited else ""
    tell_next_page(
        request,
        f"Milestone signed off: {signed.milestone.title}",
        f"LA invoice {invoice.number} raised for {format_pounds(invoice.payable_gross_pence)}"
        f" (including VAT{less}), due {long_date(invoice.due_on)}.",
    )
    return see_other(f"/contracts/{contract_id}")


async def _sign_off_page(
    request: Request,
    you: SignedIn,
    contract_id: UUID,
    milestone_id: UUID,
    form: dict[str, str],
    errors: FormErrors,
) -> Response:
    contract = await you.apis.commissioning.contract(contract_id)
    milestone = next((m for m in contract.milestones if m.id == milestone_id), None)
    if milestone is None:
        raise ApiError(404, [])
    not_yet = signed_off_from(contract.start_on, today_of(request))
    if milestone.completed_on or not contract.in_force or not_yet:
        return see_other(f"/contracts/{contract_id}")  # which says why it is not signed off
    return form_page(
        request,
        "contracts/sign_off.html",
        form=form,
        errors=errors,
        contract=contract,
        milestone=milestone,
        invoice=await you.apis.commissioning.invoice_to_raise(contract_id, milestone_id),
        vat_rate=VatRate(contract.vat_rate),
    )
