"""One catalogue service: its details and provider, its prices for each kind of school, next
year's list if one is prepared and every earlier price version, setting new prices from a day,
and retiring it."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.domain.tariff_form import (
    WHO,
    amounts_of,
    form_from_prices,
    kinds_for,
    prices_from_form,
)
from services.portal.entrypoints.forms import (
    VAT_RATES,
    Wording,
    confirm_unusual_prices,
    read_optional_date,
    submit,
)
from services.portal.entrypoints.rendering import form_of, form_page, see_other, tell_next_page
from services.portal.entrypoints.roles import CatalogueAdmin
from services.portal.entrypoints.session import SignedIn
from shared.deps import today_of

router = APIRouter(prefix="/catalogue")

# The catalogue names a bad term by its path in the request.
PRICE_FIELDS = {f"prices.{who}": f"{who}-kind" for who in WHO} | {
    "effective_from": "effective_from"
}
PRICE_LABELS = {f"{who}-kind": label for who, label in WHO.items()} | {
    "effective_from": "Prices apply from"
}
PRICE_WORDING = Wording(PRICE_LABELS, PRICE_FIELDS)


@router.get("/{service_id:uuid}")
async def service_page(request: Request, service_id: UUID, you: CatalogueAdmin) -> Response:
    service = await you.apis.catalogue.service(service_id)
    form = {
        "vat_rate": service.vat_rate,
        **(form_from_prices(service.prices) if service.prices else {}),
    }
    return await _service_page(request, you, service_id, form, FormErrors())


@router.post("/{service_id:uuid}/prices")
async def reprice(request: Request, service_id: UUID, you: CatalogueAdmin) -> Response:
    """A new price version from a day (today when none is given: next year's list is set from
    its first day), its amounts in pounds. Orders already placed keep the prices they were
    quoted. A price below £1 or above the usual ceiling is saved only once confirmed."""
    form = await form_of(request)
    errors = FormErrors()
    prices = prices_from_form(form, errors)
    effective_from = read_optional_date(form, errors, "effective_from", "the day they apply from")
    confirm = ""
    if prices is not None and not errors:
        amounts = {f"{who}-kind": amounts_of(tariff) for who, tariff in prices.items()}
        confirm = confirm_unusual_prices(form, errors, amounts, PRICE_LABELS)
    fields = {
        "prices": prices,
        "vat_rate": form.get("vat_rate") or "standard",
        "effective_from": effective_from,
    }
    service = await submit(
        errors, lambda: you.apis.catalogue.reprice(service_id, fields), PRICE_WORDING
    )
    if service is None:
        return await _service_page(request, you, service_id, form, errors, confirm=confirm)
    latest = max([service.price_version, *(v.version for v in service.upcoming_prices)])
    tell_next_page(request, f"New prices saved as version {latest}")
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
        vat_rates=VAT_RATES,
        labels=WHO,
        kinds={who: kinds_for(who) for who in WHO},
        confirm=confirm,
        today=today_of(request),
    )
