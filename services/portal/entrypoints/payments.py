"""Paying a card order. In local and test runs the portal confirms the payment with localstripe
on the server, as Stripe's Payment Element would in the browser; the order is marked paid when
Stripe's signed webhook reaches the orders service, a moment later."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.cards import CardDetails, CardRefused, LocalStripeCards
from services.portal.adapters.orders import Order
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import read_whole
from services.portal.entrypoints.rendering import form_of, form_page, see_other, tell_next_page
from services.portal.entrypoints.roles import School
from shared.api.orders import PaymentPublic

router = APIRouter()

TEST_CARD = {"card_number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": "2031"}


@router.get("/orders/{order_id:uuid}/pay")
async def payment_page(request: Request, order_id: UUID, you: School) -> Response:
    order = await you.apis.orders.payment(order_id)
    if _payment_to_make(order) is None:
        return see_other(f"/orders/{order_id}")
    return _card_form(request, order, {**TEST_CARD, "cvc": "123"}, FormErrors())


@router.post("/orders/{order_id:uuid}/pay")
async def pay(request: Request, order_id: UUID, you: School) -> Response:
    order = await you.apis.orders.payment(order_id)
    payment = _payment_to_make(order)
    if payment is None:
        return see_other(f"/orders/{order_id}")
    form = await form_of(request)
    errors = FormErrors()
    number = form.get("card_number", "").replace(" ", "")
    if not (number.isascii() and number.isdigit() and 12 <= len(number) <= 19):
        errors.add("card_number", "Enter the card number, the long number on the front")
    month = read_whole(form, errors, "exp_month", "the expiry month")
    year = read_whole(form, errors, "exp_year", "the expiry year")
    cvc = form.get("cvc", "")
    if not (cvc.isascii() and cvc.isdigit() and len(cvc) in (3, 4)):
        errors.add("cvc", "Enter the security code, the 3 digits on the back")
    localstripe = request.app.state.settings.localstripe_url
    if not localstripe:
        errors.add("card_number", "Card payments need Stripe, which is not set up here")
    if errors or month is None or year is None:
        return _card_form(request, order, form, errors)
    card = CardDetails(number=number, exp_month=month, exp_year=year, cvc=cvc)
    try:
        status = await LocalStripeCards(localstripe).confirm(payment.reference, card)
    except CardRefused as refused:
        errors.add("card_number", str(refused))
        return _card_form(request, order, form, errors)
    if status != "succeeded":
        errors.add("card_number", "The bank asked for more checks than this demo can make")
        return _card_form(request, order, form, errors)
    tell_next_page(request, "Payment accepted", "The order is marked paid once Stripe confirms it.")
    return see_other(f"/orders/{order_id}")


def _payment_to_make(order: Order) -> PaymentPublic | None:
    """None once paid (or paid and awaiting Stripe's word), and for an invoice order."""
    return None if order.payment_being_confirmed else order.payment


def _card_form(
    request: Request, order: Order, form: dict[str, str], errors: FormErrors
) -> Response:
    return form_page(request, "orders/pay.html", form=form, errors=errors, order=order)
