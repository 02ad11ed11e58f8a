"""The school's basket: services added at the price the catalogue quotes for the school (a
course on a dated session), quantities changed, and checkout by invoice or by card."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.domain.ordering import ORDER_LABELS, PAYMENT_METHODS
from services.portal.entrypoints.bought import bought_already
from services.portal.entrypoints.checkout_forms import checkout_form, invoiced, key_of
from services.portal.entrypoints.forms import Wording, read_whole, submit
from services.portal.entrypoints.rendering import (
    form_of,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import School
from services.portal.entrypoints.session import SignedIn
from shared.deps import today_of

router = APIRouter()


@router.get("/basket")
async def basket_page(request: Request, you: School) -> Response:
    return await _basket_form(request, you, {"payment_method": "invoice"}, FormErrors())


@router.post("/basket/lines/{line_id:uuid}")
async def change_line(request: Request, line_id: UUID, you: School) -> Response:
    form = await form_of(request)
    if form.get("remove"):
        await you.apis.orders.remove_line(you.urn, line_id)
        tell_next_page(request, "Removed from your basket")
        return see_other("/basket")
    errors = FormErrors()
    quantity = read_whole(form, errors, f"quantity-{line_id}", "the quantity")
    if quantity is not None:
        await submit(
            errors,
            lambda: you.apis.orders.change_line(you.urn, line_id, quantity),
            Wording({}, {"quantity": f"quantity-{line_id}"}),
        )
        if not errors:
            return see_other("/basket")
    return await _basket_form(request, you, form, errors)


@router.post("/basket/checkout")
async def checkout(request: Request, you: School) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    method = form.get("payment_method", "")
    if method not in dict(PAYMENT_METHODS):
        errors.add("payment_method", "Select how to pay")
    else:
        key = key_of(form, errors)
        fields = {"payment_method": method, "purchase_order": form.get("purchase_order") or None}
        order = await submit(
            errors,
            lambda: you.apis.orders.checkout(you.urn, fields, key=key),
            Wording(ORDER_LABELS),
        )
        if order is not None:
            if order.payment is not None:
                return see_other(f"/orders/{order.id}/pay")
            return invoiced(request, order, "is ready: download it below.")
    return await _basket_form(request, you, form, errors)


async def _basket_form(
    request: Request, you: SignedIn, form: dict[str, str], errors: FormErrors
) -> Response:
    basket = await you.apis.orders.basket(you.urn)
    bought = await bought_already(you)
    return checkout_form(
        request,
        "shop/basket.html",
        form=form,
        errors=errors,
        basket=basket,
        bought={line.line_id: bought.of_line(line, you.urn) for line in basket.lines},
        methods=PAYMENT_METHODS,
        today=today_of(request),
    )
