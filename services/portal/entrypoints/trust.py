"""A trust buyer's basket: the trust's schools, each with what was added for it at its price
(the trust's price list applied), and one checkout into the trust's order on one invoice; and
the course places the trust bought, whose offers from the waiting list the buyer answers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.domain.ordering import ORDER_LABELS, year_to_show, years_to_renew
from services.portal.entrypoints.bought import bought_already
from services.portal.entrypoints.checkout_forms import checkout_form, invoiced, key_of
from services.portal.entrypoints.course_places import PlacesPage, answer_offer, places_page
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import form_of, see_other, tell_next_page
from services.portal.entrypoints.roles import TrustBuyer
from services.portal.entrypoints.session import SignedIn
from shared.bounds import Urn
from shared.deps import today_of

router = APIRouter(prefix="/trust")

TRUST_PLACES = PlacesPage(
    url="/trust/bookings",
    template="trust/bookings.html",
    accepted="They are booked for the trust's school.",
    declined="A credit note to the trust follows.",
)


@router.get("/basket")
async def basket_page(request: Request, you: TrustBuyer) -> Response:
    return await _basket_form(request, you, {}, FormErrors())


@router.post("/basket/{urn}/lines/{line_id:uuid}")  # not `{urn:int}`: see schools.py
async def remove_line(request: Request, urn: Urn, line_id: UUID, you: TrustBuyer) -> Response:
    await you.apis.orders.remove_line(urn, line_id)
    tell_next_page(request, "Removed from the trust's basket")
    return see_other("/trust/basket")


@router.post("/checkout")
async def checkout(request: Request, you: TrustBuyer) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    if not form.get("purchase_order", "").strip():
        errors.add("purchase_order", "Enter the trust's purchase order number")
    else:
        key = key_of(form, errors)
        order = await submit(
            errors,
            lambda: you.apis.orders.trust_checkout(you.trust, form["purchase_order"], key=key),
            Wording(ORDER_LABELS),
        )
        if order is not None:
            return invoiced(request, order, "to the trust is ready: download it below.")
    return await _basket_form(request, you, form, errors)


async def _basket_form(
    request: Request, you: SignedIn, form: dict[str, str], errors: FormErrors
) -> Response:
    basket = await you.apis.orders.trust_basket(you.trust)
    bought = await bought_already(you)
    return checkout_form(
        request,
        "trust/basket.html",
        form=form,
        errors=errors,
        basket=basket,
        bought={
            line.line_id: bought.of_line(line, school.urn)
            for school in basket.schools
            for line in school.basket.lines
        },
    )


@router.get("/bookings")
async def bookings_page(request: Request, you: TrustBuyer) -> Response:
    """The course places on the trust's orders, each for its school."""
    return await places_page(request, you, TRUST_PLACES, FormErrors())


@router.post("/orders/{order_id:uuid}/lines/{line_id:uuid}/{answer}")
async def answer_places(
    request: Request,
    order_id: UUID,
    line_id: UUID,
    answer: Annotated[str, Path(pattern="^(accept|decline)$")],
    you: TrustBuyer,
) -> Response:
    """Accept the places offered to a school of the trust, or decline them (credited)."""
    return await answer_offer(request, you, TRUST_PLACES, order_id, line_id, answer)


@router.get("/renewal")
async def renewal_page(request: Request, you: TrustBuyer, year: str = "") -> Response:
    form = {"year": year_to_show(year, today_of(request))}
    return await _renewal_form(request, you, form, FormErrors())


@router.post("/renewal")
async def renew(request: Request, you: TrustBuyer) -> Response:
    """What the trust bought for its schools last year, renewed as the trust's order."""
    form = await form_of(request)
    errors = FormErrors()
    year = form.get("year", "")
    if year not in years_to_renew(today_of(request)):
        errors.add("year", "Select the year to renew for")
    if not form.get("purchase_order", "").strip():
        errors.add("purchase_order", "Enter the trust's purchase order number")
    key = key_of(form, errors)
    if not errors:
        order = await submit(
            errors,
            lambda: you.apis.orders.renew_trust(you.trust, year, form["purchase_order"], key=key),
            Wording({**ORDER_LABELS, "year": "Year"}),
        )
        if order is not None:
            return invoiced(request, order, f"to the trust renews its subscriptions for {year}.")
    form.setdefault("year", years_to_renew(today_of(request))[1])
    return await _renewal_form(request, you, form, errors)


async def _renewal_form(
    request: Request, you: SignedIn, form: dict[str, str], errors: FormErrors
) -> Response:
    years = years_to_renew(today_of(request))
    offer = await you.apis.orders.trust_renewal_offer(
        you.trust, year_to_show(form.get("year", ""), today_of(request))
    )
    return checkout_form(
        request,
        "trust/renewal.html",
        form=form,
        errors=errors,
        offer=offer,
        years=[(year, year) for year in years],
    )
