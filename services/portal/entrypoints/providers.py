"""The register of expertise: providers with their designation, expertise and QA status."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import (
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import CatalogueAdmin
from shared.api.catalogue import ProviderKind, ProviderPublic, QaStatus

router = APIRouter(prefix="/providers")

PROVIDER_KINDS = (
    (ProviderKind.COMPANY_TEAM, "One of the company's own teams"),
    (ProviderKind.TEACHING_SCHOOL, "Teaching school"),
    (ProviderKind.NLE, "National Leader of Education"),
    (ProviderKind.LLE, "Local Leader of Education"),
    (ProviderKind.QA_SCHOOL, "Quality-assured school"),
)
QA_STATUSES = (
    (QaStatus.APPROVED, "Approved"),
    (QaStatus.UNDER_REVIEW, "Under review"),
    (QaStatus.SUSPENDED, "Suspended: its services cannot be sold"),
)
PROVIDER_LABELS = {"name": "Name", "kind": "Kind of provider", "designation": "Designation"}


@router.get("")
async def providers(request: Request, you: CatalogueAdmin) -> Response:
    found = sorted(await you.apis.catalogue.providers(), key=lambda p: p.name)
    return render(request, "providers/list.html", providers=found, kinds=dict(PROVIDER_KINDS))


@router.get("/new")
async def new_provider(request: Request, you: CatalogueAdmin) -> Response:
    return _provider_form(request, {}, FormErrors())


@router.post("/new")
async def register_provider(request: Request, you: CatalogueAdmin) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    fields = {
        "name": form.get("name", ""),
        "kind": form.get("kind") or None,
        "designation": form.get("designation", ""),
        "expertise": [
            area.strip() for area in form.get("expertise", "").split(",") if area.strip()
        ],
    }
    provider = await submit(
        errors, lambda: you.apis.catalogue.register_provider(fields), Wording(PROVIDER_LABELS)
    )
    if provider is None:
        return _provider_form(request, form, errors)
    tell_next_page(request, f"{provider.name} added to the register", "Approved until reviewed.")
    return see_other(f"/providers/{provider.id}")


def _provider_form(request: Request, form: dict[str, str], errors: FormErrors) -> Response:
    return form_page(request, "providers/new.html", form=form, errors=errors, kinds=PROVIDER_KINDS)


@router.get("/{provider_id:uuid}")
async def provider_page(request: Request, provider_id: UUID, you: CatalogueAdmin) -> Response:
    provider = await you.apis.catalogue.provider(provider_id)
    form = {"qa_status": provider.qa_status, "note": provider.qa_note}
    return _qa_form(request, provider, form, FormErrors())


@router.post("/{provider_id:uuid}")
async def set_qa_status(request: Request, provider_id: UUID, you: CatalogueAdmin) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    fields = {"qa_status": form.get("qa_status") or None, "note": form.get("note", "")}
    provider = await submit(
        errors,
        lambda: you.apis.catalogue.set_qa_status(provider_id, fields),
        Wording({"qa_status": "QA status", "note": "Note"}),
    )
    if provider is None:
        provider = await you.apis.catalogue.provider(provider_id)
        return _qa_form(request, provider, form, errors)
    status = dict(QA_STATUSES)[provider.qa_status].split(":")[0].lower()
    tell_next_page(request, f"{provider.name} is {status}")
    return see_other(f"/providers/{provider_id}")


def _qa_form(
    request: Request, provider: ProviderPublic, form: dict[str, str], errors: FormErrors
) -> Response:
    return form_page(
        request,
        "providers/detail.html",
        form=form,
        errors=errors,
        provider=provider,
        kinds=dict(PROVIDER_KINDS),
        statuses=QA_STATUSES,
    )
