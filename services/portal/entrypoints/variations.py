"""Varying a contract: its value, its term or its scope, each with a reason, approved by the
signed-in officer; a change of value over the threshold waits for a second officer's approval."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.commissioning import Contract
from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import Wording, read_date, read_pounds, submit
from services.portal.entrypoints.rendering import form_of, form_page, see_other, tell_next_page
from services.portal.entrypoints.roles import Officer

router = APIRouter(prefix="/contracts/{contract_id:uuid}/variations")

KINDS = (
    ("value", "Value: a new contract value"),
    ("term", "Term: a new end date"),
    ("scope", "Scope: a new description of the work"),
)
VARIATION_FIELDS = {"value_pence": "value"}
VARIATION_LABELS = {
    "kind": "What the variation changes",
    "value": "New value",
    "end_on": "New end date",
    "scope": "New scope",
    "reason": "Reason",
    "approved_on": "Date approved",
}
VARIATION_WORDING = Wording(VARIATION_LABELS, VARIATION_FIELDS)


@router.get("/new")
async def new_variation(request: Request, contract_id: UUID, you: Officer) -> Response:
    contract = await you.apis.commissioning.contract(contract_id)
    return _variation_form(request, contract, {"scope": contract.description}, FormErrors())


@router.post("/new")
async def vary(request: Request, contract_id: UUID, you: Officer) -> Response:
    contract = await you.apis.commissioning.contract(contract_id)
    form = await form_of(request)
    errors = FormErrors()
    fields = _variation(form, errors)
    varied = await submit(
        errors, lambda: you.apis.commissioning.vary(contract_id, fields), VARIATION_WORDING
    )
    if varied is not None:
        kind = form["kind"]
        waiting = len(varied.pending_variations) > len(contract.pending_variations)
        tell_next_page(
            request,
            f"Contract {contract.reference}: the {kind} variation awaits a second officer's "
            "approval"
            if waiting
            else f"Contract {contract.reference} varied: its {kind} changed",
        )
        return see_other(f"/contracts/{contract_id}")
    return _variation_form(request, contract, form, errors)


def _variation(form: dict[str, str], errors: FormErrors) -> dict[str, Any]:
    """Only the new term the chosen kind changes is read and sent (in the form's order)."""
    kind = form.get("kind", "")
    fields: dict[str, Any] = {"kind": kind}
    if kind == "value":
        fields["value_pence"] = read_pounds(form, errors, "value", "the new value")
    elif kind == "term":
        fields["end_on"] = read_date(form, errors, "end_on", "the new end date")
    elif kind == "scope":
        fields["scope"] = form.get("scope", "")
    else:
        errors.add("kind", "Select what the variation changes")
    return {
        **fields,
        "reason": form.get("reason", ""),
        "approved_on": read_date(form, errors, "approved_on", "the date approved"),
    }


@router.post("/{variation_id:uuid}/approve")
async def approve(
    request: Request, contract_id: UUID, variation_id: UUID, you: Officer
) -> Response:
    """The second officer's approval: the officer who proposed it is refused, saying why."""
    try:
        contract = await you.apis.commissioning.approve_variation(contract_id, variation_id)
    except ApiError as refused:
        if refused.status not in (403, 409, 422):
            raise
        tell_next_page(request, f"Not approved: {refused}")
    else:
        tell_next_page(request, f"Contract {contract.reference} varied: the variation is approved")
    return see_other(f"/contracts/{contract_id}")


@router.post("/{variation_id:uuid}/decline")
async def decline(
    request: Request, contract_id: UUID, variation_id: UUID, you: Officer
) -> Response:
    """Any officer declines a waiting variation, saying why (its proposer withdrawing it)."""
    reason = (await form_of(request)).get("reason", "").strip()
    if len(reason) < 3:
        tell_next_page(request, "Not declined: say why the variation is declined")
        return see_other(f"/contracts/{contract_id}#pending-variations")
    try:
        contract = await you.apis.commissioning.decline_variation(contract_id, variation_id, reason)
    except ApiError as refused:
        if refused.status not in (404, 409, 422):
            raise
        tell_next_page(request, f"Not declined: {refused}")
    else:
        tell_next_page(request, f"Contract {contract.reference}: the variation is declined")
    return see_other(f"/contracts/{contract_id}")


def _variation_form(
    request: Request, contract: Contract, form: dict[str, str], errors: FormErrors
) -> Response:
    return form_page(
        request,
        "contracts/variation_new.html",
        form=form,
        errors=errors,
        contract=contract,
        kinds=KINDS,
    )
