"""The annual buy-back: last year's subscriptions, renewed for the next academic year at next
year's prices in one step."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.domain.ordering import (
    ORDER_LABELS,
    PAYMENT_METHODS,
    year_to_show,
    years_to_renew,
)
from services.portal.entrypoints.checkout_forms import checkout_form, key_of
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import form_of, see_other, tell_next_page
from services.portal.entrypoints.roles import School
from services.portal.entrypoints.session import SignedIn
from shared.deps import today_of

router = APIRouter(prefix="/renewal")


@router.get("")
async def renewal_page(request: Request, you: School, year: str = "") -> Response:
    form = {"year": year_to_show(year, today_of(request)), "payment_method": "invoice"}
    return await _renewal_form(request, you, form, FormErrors())


@router.post("")
async def renew(request: Request, you: School) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    year = form.get("year", "")
    if year not in years_to_renew(today_of(request)):
        errors.add("year", "Select the year to renew for")
    if form.get("payment_method") not in dict(PAYMENT_METHODS):
        errors.add("payment_method", "Select how to pay")
    key = key_of(form, errors)
    if not errors:
        fields = {
            "payment_method": form["payment_method"],
            "purchase_order": form.get("purchase_order") or None,
        }
        order = await submit(
            errors,
            lambda: you.apis.orders.renew(you.urn, year, fields, key=key),
            Wording({**ORDER_LABELS, "year": "Year"}),
        )
        if order is not None:
            if order.payment is not None:
                return see_other(f"/orders/{order.id}/pay")
            tell_next_page(request, f"Subscriptions renewed for {year}")
            return see_other(f"/orders/{order.id}")
    return await _renewal_form(request, you, form, errors)


async def _renewal_form(
    request: Request, you: SignedIn, form: dict[str, str], errors: FormErrors
) -> Response:
    offer = await you.apis.orders.renewal_offer(
        you.urn, year_to_show(form.get("year", ""), today_of(request))
    )
    years = [(year, year) for year in years_to_renew(today_of(request))]
    renewal = await you.apis.orders.order(offer.renewed_by) if offer.renewed_by else None
    return checkout_form(
        request,
        "shop/renewal.html",
        form=form,
        errors=errors,
        offer=offer,
        renewal=renewal,
        years=years,
        methods=PAYMENT_METHODS,
    )
