"""Brokered support: company staff deploy a provider to a case for half days at a day rate,
and record what was delivered. The commissioning API refuses a deployment that would commit
more than the contract has left; the refusal lands on the field it names."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import (
    VAT_RATES,
    Wording,
    read_date,
    read_pounds,
    read_whole,
    submit,
)
from services.portal.entrypoints.rendering import form_of, form_page, see_other, tell_next_page
from services.portal.entrypoints.roles import Staff
from services.portal.entrypoints.session import SignedIn
from shared.api.commissioning import ProviderKind
from shared.money import format_pounds

router = APIRouter(prefix="/cases/{case_id:uuid}/deployments")


PROVIDER_KINDS = (
    (ProviderKind.NLE, "National Leader of Education"),
    (ProviderKind.LLE, "Local Leader of Education"),
    (ProviderKind.TEACHING_SCHOOL, "Teaching school"),
    (ProviderKind.EXECUTIVE_HEAD, "Executive headteacher"),
    (ProviderKind.ADVISER, "One of the company's own advisers"),
)
DEPLOYMENT_FIELDS = {
    "provider.name": "provider_name",
    "provider.kind": "provider_kind",
    "day_rate_pence": "day_rate",
}
DEPLOYMENT_LABELS = {
    "provider_name": "Provider",
    "provider_kind": "Kind of provider",
    "half_days": "Half days",
    "day_rate": "Day rate",
    "objectives": "Objectives",
    "starts_on": "Start date",
}
DEPLOYMENT_WORDING = Wording(DEPLOYMENT_LABELS, DEPLOYMENT_FIELDS)

DELIVERY_LABELS = {"half_days": "Half days delivered", "completed_on": "Date completed"}


@router.get("/new")
async def new_deployment(request: Request, case_id: UUID, you: Staff) -> Response:
    return await _deployment_form(request, you, case_id, {"vat_rate": "standard"}, FormErrors())


@router.post("/new")
async def deploy(request: Request, case_id: UUID, you: Staff) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    if not form.get("provider_kind"):
        errors.add("provider_kind", "Select the kind of provider")
    fields = {
        "provider": {"name": form.get("provider_name", ""), "kind": form.get("provider_kind")},
        "half_days": read_whole(form, errors, "half_days", "the half days"),
        "day_rate_pence": read_pounds(form, errors, "day_rate", "the day rate"),
        "vat_rate": form.get("vat_rate") or "standard",
        "objectives": form.get("objectives", ""),
        "expected_impact": form.get("expected_impact", ""),
        "starts_on": read_date(form, errors, "starts_on", "the start date"),
    }
    deployment = await submit(
        errors, lambda: you.apis.commissioning.deploy(case_id, fields), DEPLOYMENT_WORDING
    )
    if deployment is not None:
        tell_next_page(
            request,
            f"{deployment.provider.name} deployed",
            f"{format_pounds(deployment.committed_pence)} of the contract is committed to it.",
        )
        return see_other(f"/cases/{case_id}")
    return await _deployment_form(request, you, case_id, form, errors)


async def _deployment_form(
    request: Request, you: SignedIn, case_id: UUID, form: dict[str, str], errors: FormErrors
) -> Response:
    case = await you.apis.commissioning.case(case_id)
    contract = await you.apis.commissioning.contract(case.contract_id)
    deployed = await you.apis.commissioning.deployments(contract_id=contract.id)
    return form_page(
        request,
        "cases/deployment_new.html",
        form=form,
        errors=errors,
        case=case,
        contract=contract,
        committed=sum(d.committed_pence for d in deployed),
        kinds=PROVIDER_KINDS,
        vat_rates=VAT_RATES,
    )


@router.get("/{deployment_id:uuid}/delivered")
async def delivery_form(
    request: Request, case_id: UUID, deployment_id: UUID, you: Staff
) -> Response:
    return await _delivery_form(request, you, case_id, deployment_id, {}, FormErrors())


@router.post("/{deployment_id:uuid}/delivered")
async def record_delivery(
    request: Request, case_id: UUID, deployment_id: UUID, you: Staff
) -> Response:
    """The provider is owed for the half days delivered; the school is asked to rate them."""
    form = await form_of(request)
    errors = FormErrors()
    fields = {
        "half_days": read_whole(form, errors, "half_days", "the half days delivered"),
        "completed_on": read_date(form, errors, "completed_on", "the date completed"),
    }
    done = await submit(
        errors,
        lambda: you.apis.commissioning.complete_deployment(deployment_id, fields),
        Wording(DELIVERY_LABELS),
    )
    if done is not None:
        tell_next_page(request, f"{done.delivered_half_days} half days delivered")
        return see_other(f"/cases/{case_id}")
    return await _delivery_form(request, you, case_id, deployment_id, form, errors)


async def _delivery_form(
    request: Request,
    you: SignedIn,
    case_id: UUID,
    deployment_id: UUID,
    form: dict[str, str],
    errors: FormErrors,
) -> Response:
    deployed = {d.id: d for d in await you.apis.commissioning.deployments(case_id=case_id)}
    if deployment_id not in deployed:
        raise ApiError(404, [])
    return form_page(
        request,
        "cases/delivered.html",
        form=form,
        errors=errors,
        case_id=case_id,
        deployment=deployed[deployment_id],
    )
