"""The school's shop: the catalogue with its prices, ordering by invoice, and its orders."""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from services.portal.adapters.catalogue import ShopSearch
from services.portal.adapters.http import ApiError
from services.portal.adapters.orders import Cancellation, Order
from services.portal.domain.forms import FormErrors
from services.portal.domain.ordering import year_to_buy, years_to_renew
from services.portal.entrypoints.bought import bought_already, nothing_bought
from services.portal.entrypoints.course_places import PlacesPage, answer_offer, places_page
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import (
    download,
    form_of,
    form_page,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import OrderReader, School, Shopper, Staff
from services.portal.entrypoints.session import SignedIn
from shared.auth import Role
from shared.deps import today_of

router = APIRouter()


SHOP_PAGE_SIZE = 20
SCHOOL_PLACES = PlacesPage(
    url="/bookings",
    template="orders/bookings.html",
    accepted="They are booked for your school.",
    declined="A refund or credit note follows.",
)


@router.get("/shop")
async def shop(
    request: Request,
    you: Shopper,
    q: Annotated[str, Query(max_length=100)] = "",
    category: Annotated[str, Query(max_length=60)] = "",
    phase: Annotated[str, Query(max_length=40)] = "",
    provider: Annotated[str, Query(max_length=40)] = "",
    year: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """The services on sale, searched and paged by the catalogue, each at this school's own
    price (the one its basket will charge), with its provider and ratings. Shopping for an
    academic year (this one or the next; another is refused, a 422 naming `year`) shows the
    services run in it, each subscription at that year's price list, VAT and term, or why it
    cannot be bought for it. A school's subscription bought for that year (by itself or a
    trust for it) is shown as bought, not priced."""
    errors = FormErrors()
    today = today_of(request)
    asked = year_to_buy(year, today, errors, "year")
    search = ShopSearch(q.strip(), category, phase, provider, asked, page)
    (found, total), filters, providers, bought = await asyncio.gather(
        you.apis.catalogue.shop_window(search, page_size=SHOP_PAGE_SIZE),
        you.apis.catalogue.shop_filters(),
        you.apis.catalogue.providers(),
        bought_already(you) if you.user.urn else nothing_bought(),
    )
    return form_page(
        request,
        "shop/listings.html",
        form={},
        errors=errors,
        services=found,
        bought=bought.by_service(found),
        total=total,
        search=search,
        years=years_to_renew(today),
        filters=filters,
        providers=sorted(providers, key=lambda provider: provider.name),
        previous_page=_page_link(request, page - 1) if page > 1 else None,
        next_page=_page_link(request, page + 1) if page * SHOP_PAGE_SIZE < total else None,
    )


def _page_link(request: Request, page: int) -> str:
    return f"/shop?{urlencode({**request.query_params, 'page': page})}"


@router.get("/bookings")
async def bookings(request: Request, you: School) -> Response:
    """Course places: booked, waiting (and where in the list), or offered until a time."""
    return await places_page(request, you, SCHOOL_PLACES, FormErrors())


@router.post("/orders/{order_id:uuid}/lines/{line_id:uuid}/{answer}")
async def answer_places(
    request: Request,
    order_id: UUID,
    line_id: UUID,
    answer: Annotated[str, Path(pattern="^(accept|decline)$")],
    you: School,
) -> Response:
    """Accept the places offered (they are the school's), or decline them (refunded in full)."""
    return await answer_offer(request, you, SCHOOL_PLACES, order_id, line_id, answer)


@router.get("/orders")
async def orders(request: Request, you: OrderReader) -> Response:
    return await _orders_page(request, you, FormErrors())


async def _orders_page(request: Request, you: SignedIn, errors: FormErrors) -> Response:
    """Orders, newest first as the orders API lists them; a school's rolling subscriptions
    above them."""
    placed = await you.apis.orders.orders()
    school = you.user.role is Role.SCHOOL
    rolling = await you.apis.orders.rolling(you.urn) if school else []
    return form_page(
        request, "orders/list.html", form={}, errors=errors, orders=placed, rolling=rolling
    )


@router.post("/rolling-subscriptions/{subscription_id:uuid}/cancel")
async def cancel_rolling(request: Request, subscription_id: UUID, you: School) -> Response:
    """Ends at the earliest end notice given today is in time for, which the page names."""
    errors, button = FormErrors(), f"cancel-{subscription_id}"
    ended = await submit(
        errors,
        lambda: you.apis.orders.cancel_rolling(subscription_id),
        Wording({button: "Cancel"}, {"status": button}),
    )
    if ended is None:
        return await _orders_page(request, you, errors)
    ends_on = f"{ended.ends_on:%-d %B %Y}" if ended.ends_on else "the end of its period"
    tell_next_page(request, "Subscription cancelled", f"{ended.title} ends on {ends_on}.")
    return see_other("/orders")


@router.get("/orders/{order_id:uuid}")
async def order_page(request: Request, order_id: UUID, you: OrderReader) -> Response:
    """Another school's order is a 404 page: the orders API answers 404 for it."""
    return await _order_page(request, order_id, you, form={}, errors=FormErrors())


async def _order_page(
    request: Request, order_id: UUID, you: OrderReader, *, form: dict[str, str], errors: FormErrors
) -> Response:
    """The order; while it may be cancelled, what cancelling it today would give back."""
    order = await you.apis.orders.payment(order_id)
    return form_page(
        request,
        "orders/detail.html",
        form=form,
        errors=errors,
        order=order,
        cancellation=await _cancellation(you, order),
    )


async def _cancellation(you: OrderReader, order: Order) -> Cancellation | None:
    """What cancelling the order today would give back; None if this user may not cancel it
    (a trust buyer; or a card payment Stripe has taken and is still confirming, which would be
    lost), or once nothing on it can be cancelled (the orders API answers 409)."""
    if you.user.role is Role.TRUST_BUYER or order.payment_being_confirmed:
        return None
    try:
        return await you.apis.orders.cancellation(order.id)
    except ApiError as refused:
        if refused.status == 409:
            return None
        raise


@router.post("/orders/{order_id:uuid}/cancel")
async def cancel(request: Request, order_id: UUID, you: OrderReader) -> Response:
    """Cancelling frees a course's places, which are then offered down its waiting list."""
    form = await form_of(request)
    errors = FormErrors()
    if not form.get("reason"):
        errors.add("reason", "Say why the order is cancelled")
    else:
        cancelled = await submit(
            errors,
            lambda: you.apis.orders.cancel(order_id, form["reason"]),
            Wording({"reason": "Reason"}, {"status": "reason"}),
        )
        if cancelled is not None:
            tell_next_page(request, "Order cancelled", cancelled.given_back.summary)
            return see_other(f"/orders/{order_id}")
    return await _order_page(request, order_id, you, form=form, errors=errors)


@router.post("/orders/{order_id:uuid}/fulfil")
async def fulfil(request: Request, order_id: UUID, you: Staff) -> Response:
    """Company staff record the order delivered: its consultancy days are then earned."""
    errors = FormErrors()
    fulfilled = await submit(
        errors,
        lambda: you.apis.orders.fulfil(order_id),
        Wording({"delivered": "Delivery"}, {"status": "delivered", "payment_status": "delivered"}),
    )
    if fulfilled is not None:
        tell_next_page(request, "Order marked as delivered")
        return see_other(f"/orders/{order_id}")
    return await _order_page(request, order_id, you, form={}, errors=errors)


@router.get("/invoices/{invoice_id:uuid}.pdf")
async def invoice_pdf(invoice_id: UUID, you: OrderReader) -> Response:
    """Another school's invoice is a 404 page: the orders API answers 404 for it."""
    return download(await you.apis.orders.invoice_pdf(invoice_id))
