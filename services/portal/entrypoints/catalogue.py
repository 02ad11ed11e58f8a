"""The catalogue admin's desk: every service with its status, creating and publishing one, and
the whole catalogue as a CSV file to download or load."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import (
    VAT_RATES,
    Wording,
    confirm_unusual_prices,
    read_pounds,
    submit,
    uploaded_text,
)
from services.portal.entrypoints.rendering import (
    download,
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import CatalogueAdmin
from shared.api.catalogue import ServiceType

router = APIRouter(prefix="/catalogue")


SERVICE_TYPES = (
    (ServiceType.SUBSCRIPTION, "Subscription (a year's service level agreement)"),
    (ServiceType.COURSE, "Course"),
    (ServiceType.CONSULTANCY, "Consultancy days"),
    (ServiceType.BUNDLE, "Bundle"),
)
SERVICE_FIELDS = {"unit_price_pence": "price"}
SERVICE_LABELS = {
    "code": "Code",
    "title": "Title",
    "description": "Description",
    "service_type": "Type of service",
    "category": "Category",
    "price": "Price",
    "vat_rate": "VAT",
}
SERVICE_WORDING = Wording(SERVICE_LABELS, SERVICE_FIELDS)


@router.get("")
async def services(request: Request, you: CatalogueAdmin) -> Response:
    found = sorted(await you.apis.catalogue.services(), key=lambda s: (s.status, s.code))
    return render(request, "catalogue/list.html", services=found)


@router.get("/export.csv")
async def export_csv(you: CatalogueAdmin) -> Response:
    return download(await you.apis.catalogue.export_csv())


@router.get("/import")
async def import_page(request: Request, you: CatalogueAdmin) -> Response:
    return form_page(request, "catalogue/import.html", form={}, errors=FormErrors())


@router.post("/import")
async def import_csv(request: Request, you: CatalogueAdmin) -> Response:
    """All or nothing: the catalogue API names the first bad row by line and column."""
    errors = FormErrors()
    text = await uploaded_text((await request.form()).get("file"), errors)
    if text is not None:
        report = await submit(
            errors, lambda: you.apis.catalogue.import_csv(text), Wording({"file": "CSV file"})
        )
        if report is not None:
            tell_next_page(
                request,
                "Catalogue loaded",
                f"{report.created} services created, {report.changed} changed, "
                f"{report.unchanged} unchanged.",
            )
            return see_other("/catalogue")
    return form_page(request, "catalogue/import.html", form={}, errors=errors)


@router.get("/new")
async def new_service(request: Request, you: CatalogueAdmin) -> Response:
    return _service_form(request, {"vat_rate": "standard"}, FormErrors())


@router.post("/new")
async def create_service(request: Request, you: CatalogueAdmin) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    price = read_pounds(form, errors, "price", "the price")
    confirm = ""
    if price is not None:
        confirm = confirm_unusual_prices(form, errors, {"price": (price,)}, SERVICE_LABELS)
    fields = {
        **{name: form.get(name, "") for name in ("code", "title", "description", "category")},
        "service_type": form.get("service_type") or None,
        "vat_rate": form.get("vat_rate") or None,
        "unit_price_pence": price,
    }
    created = await submit(errors, lambda: you.apis.catalogue.create(fields), SERVICE_WORDING)
    if created is not None:
        tell_next_page(request, f"{created.title} saved as a draft", "Publish it to sell it.")
        return see_other("/catalogue")
    return _service_form(request, form, errors, confirm=confirm)


def _service_form(
    request: Request, form: dict[str, str], errors: FormErrors, *, confirm: str = ""
) -> Response:
    choices = {"service_types": SERVICE_TYPES, "vat_rates": VAT_RATES}
    return form_page(
        request, "catalogue/new.html", form=form, errors=errors, confirm=confirm, **choices
    )


@router.post("/{service_id:uuid}/publish")
async def publish(request: Request, service_id: UUID, you: CatalogueAdmin) -> Response:
    published = await you.apis.catalogue.publish(service_id)
    tell_next_page(request, f"{published.title} published", "Schools can order it now.")
    back = (await form_of(request)).get("next", "")
    return see_other(back if back.startswith("/catalogue/") else "/catalogue")


@router.post("/{service_id:uuid}/retire")
async def retire(request: Request, service_id: UUID, you: CatalogueAdmin) -> Response:
    retired = await you.apis.catalogue.retire(service_id)
    tell_next_page(request, f"{retired.title} retired", "Schools can no longer order it.")
    return see_other(f"/catalogue/{service_id}")
