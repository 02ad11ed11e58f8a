"""One catalogue service: its details and provider, its prices for each kind of school and
every earlier price version, repricing it, and retiring it."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors
from services.portal.domain.prices import in_words, pounds_rule
from services.portal.entrypoints.catalogue import Admin
from services.portal.entrypoints.forms import (
    VAT_RATES,
    confirm_unusual_prices,
    put_on_form,
    read_price_rule,
)
from services.portal.entrypoints.rendering import form_of, form_page, see_other, tell_next_page
from services.portal.entrypoints.session import SignedIn

router = APIRouter(prefix="/catalogue")

# The catalogue names a bad rule by its column in the CSV, or by the request's path.
PRICE_FIELDS = {
    "maintained_price": "maintained",
    "academy_price": "academy",
    "out_of_area_price": "out_of_area",
    "prices.maintained": "maintained",
    "prices.academy": "academy",
    "prices.out_of_area": "out_of_area",
}
PRICE_LABELS = {
    "maintained": "Maintained schools in the county",
    "academy": "Academies",
    "out_of_area": "Schools outside the county",
}


@router.get("/{service_id}")
async def service_page(request: Request, service_id: UUID, you: Admin) -> Response:
    service = await you.apis.catalogue.service(service_id)
    prices = service.prices.model_dump() if service.prices else {}
    form = {"vat_rate": service.vat_rate, **{k: pounds_rule(v or "") for k, v in prices.items()}}
    return await _service_page(request, you, service_id, form, FormErrors())


@router.post("/{service_id}/prices")
async def reprice(request: Request, service_id: UUID, you: Admin) -> Response:
    """A new price version, typed in pounds: orders already placed keep the version they were
    quoted. A price below £1 or above the usual ceiling is saved only once confirmed."""
    form = await form_of(request)
    errors = FormErrors()
    rules = {
        name: read_price_rule(form, errors, name, label) for name, label in PRICE_LABELS.items()
    }
    confirm = ""
    if not errors:
        amounts = {name: rule.amounts_pence for name, rule in rules.items() if rule}
        confirm = confirm_unusual_prices(form, errors, amounts, PRICE_LABELS)
    if not errors:
        fields = {
            "prices": {name: rule.pence_rule if rule else "" for name, rule in rules.items()},
            "vat_rate": form.get("vat_rate") or "standard",
        }
        try:
            service = await you.apis.catalogue.reprice(service_id, fields)
        except ApiError as refused:
            put_on_form(refused, errors, fields=PRICE_FIELDS, labels=PRICE_LABELS)
    if errors:
        return await _service_page(request, you, service_id, form, errors, confirm=confirm)
    tell_next_page(request, f"New prices saved as version {service.price_version}")
    return see_other(f"/catalogue/{service_id}")


async def _service_page(
    request: Request,
    you: SignedIn,
    service_id: UUID,
    form: dict[str, str],
    errors: FormErrors,
    *,
    confirm: str = "",
) -> Response:
    service = await you.apis.catalogue.service(service_id)
    history = await you.apis.catalogue.price_history(service_id)
    return form_page(
        request,
        "catalogue/service.html",
        form=form,
        errors=errors,
        service=service,
        history=list(reversed(history)),
        in_words=in_words,
        vat_rates=VAT_RATES,
        labels=PRICE_LABELS,
        confirm=confirm,
    )
