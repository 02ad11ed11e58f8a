"""A service in the shop: its page with the school's own price (a subscription's for the academic
year shopped for, if one is), ordering it at once by invoice, and adding it to the basket for
that year (a trust buyer picks which of the trust's schools it is for)."""

from __future__ import annotations

import asyncio
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.domain.ordering import ORDER_LABELS, year_to_buy, years_to_renew
from services.portal.entrypoints.bought import bought_already, year_sold
from services.portal.entrypoints.forms import Wording, read_whole, submit
from services.portal.entrypoints.rendering import form_of, form_page, see_other, tell_next_page
from services.portal.entrypoints.roles import School, Shopper
from services.portal.entrypoints.session import SignedIn
from shared.api.catalogue import SchoolPricePublic
from shared.deps import today_of

router = APIRouter(prefix="/shop")

# The orders API's names for the inputs, and the order form's field ids.
ORDER_FIELDS = {"lines.0.quantity": "quantity", "lines": "quantity"}
BASKET_FIELDS = {
    "session_id": "session_id",
    "quantity": "quantity",
    "urn": "school_urn",
    "academic_year": "academic_year",
}
ORDER_WORDING = Wording(ORDER_LABELS, ORDER_FIELDS)
BASKET_WORDING = Wording({**ORDER_LABELS, "academic_year": "Academic year"}, BASKET_FIELDS)


@router.get("/{service_id:uuid}")
async def service_page(
    request: Request,
    service_id: UUID,
    you: Shopper,
    year: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Priced as bought today, or for the academic `year` shopped for (this one or the next;
    another is refused, a 422 naming it)."""
    errors = FormErrors()
    form = {
        "quantity": "1",
        "payment_method": "invoice",
        "academic_year": year_to_buy(year, today_of(request), errors, "academic_year"),
    }
    return await service_form(request, you, service_id, form, errors)


@router.post("/{service_id:uuid}")
async def order(request: Request, service_id: UUID, you: School) -> Response:
    """Order this one service by invoice at once, as bought today; anything else (a
    subscription for a year shopped for) goes through the basket."""
    form = await form_of(request)
    form.pop("academic_year", None)
    errors = FormErrors()
    quantity = read_whole(form, errors, "quantity", "the quantity")
    if quantity is not None and not errors:
        placed = await submit(
            errors,
            lambda: you.apis.orders.place_by_invoice(
                urn=you.urn,
                service_id=service_id,
                quantity=quantity,
                purchase_order=form.get("purchase_order", ""),
            ),
            ORDER_WORDING,
        )
        if placed is not None:
            number = placed.invoice.number if placed.invoice else ""
            tell_next_page(
                request, "Order placed", f"Invoice {number} is ready: download it below."
            )
            return see_other(f"/orders/{placed.id}")
    return await service_form(request, you, service_id, form, errors)


async def service_form(
    request: Request, you: SignedIn, service_id: UUID, form: dict[str, str], errors: FormErrors
) -> Response:
    """A service with the school's own price, the basket form (the course's sessions it can
    still book, with the places left on each) and the form to order it by invoice at once. A
    subscription shopped for an academic year (the form's `academic_year`) is priced for it,
    and goes into the basket for it; it is not ordered at once, which buys as of today. One
    bought for the school for that year already is shown as bought, not offered (to a trust's
    buyer, for each school it is bought for, which it can then no longer pick)."""
    year = form.get("academic_year") or None
    service = await you.apis.catalogue.service(service_id, year=year)
    course = service.service_type == "course"
    sessions = await you.apis.catalogue.bookable_sessions(service_id) if course else []
    # a course whose sessions are all over or called off is not sold (one that never had any
    # is bought undated)
    none_left = course and not sessions and bool(await you.apis.catalogue.sessions(service_id))
    trust = await you.apis.orders.trust_basket(you.trust) if you.user.trust else None
    bought = (await bought_already(you)).of(service) if year_sold(service) else []
    schools = {school.urn: school.name for school in trust.schools} if trust else {}
    taken = {row.urn for row in bought}
    to_pick = [urn for urn in schools if urn not in taken]
    return form_page(
        request,
        "shop/service.html",
        form=form,
        errors=errors,
        service=service,
        sessions=sessions,
        none_left=none_left,
        trust_schools=[(str(urn), schools[urn]) for urn in to_pick],
        school_prices=await _each_school_s_price(you, service_id, year, to_pick, schools),
        bought=[(schools.get(row.urn, ""), row) for row in bought],
        years=years_to_renew(today_of(request)),
        today=today_of(request),
    )


async def _each_school_s_price(
    you: SignedIn, service_id: UUID, year: str | None, urns: list[int], names: dict[int, str]
) -> list[tuple[str, SchoolPricePublic | None]]:
    """For a trust's buyer, each school's own price less the trust's discount, as the trust's
    basket charges it (None: no price for that school)."""
    priced = await asyncio.gather(
        *(you.apis.catalogue.service(service_id, year=year, urn=urn) for urn in urns)
    )
    return [(names[urn], found.price_for_school) for urn, found in zip(urns, priced, strict=True)]


@router.post("/{service_id:uuid}/basket")
async def add_to_basket(request: Request, service_id: UUID, you: Shopper) -> Response:
    """Priced by the catalogue's quote for this school (a trust buyer picks one of the trust's):
    the price it will pay; a subscription for the academic year its page was priced for."""
    form = await form_of(request)
    errors = FormErrors()
    urn = you.urn if you.user.urn else _school_of_trust(form, errors)
    quantity = read_whole(form, errors, "quantity", "the quantity")
    year = year_to_buy(form.get("academic_year", ""), today_of(request), errors, "academic_year")
    form["academic_year"] = year
    fields = {
        "service_id": str(service_id),
        "quantity": quantity,
        "session_id": form.get("session_id") or None,
        "academic_year": year or None,
    }
    if urn is not None and not errors:
        await submit(errors, lambda: you.apis.orders.add_to_basket(urn, fields), BASKET_WORDING)
        if not errors:
            tell_next_page(request, "Added to your basket")
            return see_other("/trust/basket" if you.user.trust else "/basket")
    return await service_form(request, you, service_id, form, errors)


def _school_of_trust(form: dict[str, str], errors: FormErrors) -> int | None:
    """The school a trust buyer adds the service for (one of the trust's, the API checks)."""
    if not form.get("school_urn"):
        errors.add("school_urn", "Select the school this is for")
        return None
    return read_whole(form, errors, "school_urn", "the school")
