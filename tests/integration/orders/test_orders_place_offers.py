"""Places offered from the waiting list, through the APIs with real NATS: the school offered
accepts before the offer expires (and not after), or declines and gets its money back; an offer
not accepted in time lapses by the catalogue's job and passes to the next school in line."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from services.catalogue.application.offers import LapseExpiredOffers
from services.catalogue.config import Settings as CatalogueSettings
from shared.auth import Role
from shared.clock import Clock
from tests.support.orders_shop import CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import ASHWELL, auth, eventually, settings_of

BUSHEY_HEATH = 117088  # Bushey Heath Primary School, third in line
ASHWELL_SCHOOL = auth(Role.SCHOOL, ASHWELL)


async def line_of(shop: Shop, order_id: str, booking: str) -> dict[str, Any]:
    order = await shop.order(order_id)
    return dict(order["lines"][0]) if order["lines"][0]["booking"] == booking else {}


async def ashwell_offered(
    shop: Shop, *, paid: bool = True
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A one-place session: Abbots Langley holds it; Ashwell (paid by card, or its card payment
    still awaited if not `paid`), then Bushey Heath (by invoice), wait; Abbots Langley cancels
    and the place is offered to Ashwell."""
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    runs_on = (Clock().today() + timedelta(days=40)).isoformat()
    session = await shop.session(course["id"], starts_on=runs_on, capacity=1)
    holder = await shop.buy(course["id"], "invoice", session_id=session["id"])
    await eventually(lambda: line_of(shop, holder["id"], "reserved"))
    await shop.add(course["id"], 1, urn=ASHWELL, session_id=session["id"])
    ashwell = (await shop.checkout("card", urn=ASHWELL)).json()
    reference = ashwell["payment"]["reference"]
    if paid:
        await shop.stripe.confirm_with_card(reference)
        await shop.send_webhook(await shop.succeeded_event(reference))
    await eventually(lambda: line_of(shop, ashwell["id"], "waiting"))
    await shop.add(course["id"], 1, urn=BUSHEY_HEATH, session_id=session["id"])
    bushey = (await shop.checkout("invoice", urn=BUSHEY_HEATH)).json()
    await eventually(lambda: line_of(shop, bushey["id"], "waiting"))
    cancelled = await shop.orders.post(
        f"/orders/{holder['id']}/cancel", json={"reason": "inset day moved"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: line_of(shop, ashwell["id"], "offered"))
    return session, await shop.order(ashwell["id"]), bushey


def expiry(line: dict[str, Any]) -> datetime:
    found = datetime.fromisoformat(line["offer_expires_at"])
    return found if found.tzinfo else found.replace(tzinfo=UTC)


async def catalogue_bookings(shop: Shop, session_id: str) -> set[tuple[int, str]]:
    found = await shop.platform.catalogue.get(
        f"/sessions/{session_id}/bookings", headers=CATALOGUE_ADMIN
    )
    return {(booking["urn"], booking["status"]) for booking in found.json()}


async def test_an_offer_lapses_at_its_time_passes_on_and_the_school_is_refunded(
    shop: Shop,
) -> None:
    session, ashwell, bushey = await ashwell_offered(shop)
    expires_at = expiry(ashwell["lines"][0])
    catalogue = shop.platform.services["catalogue"]
    offer_hours = settings_of(catalogue, CatalogueSettings).place_offer_hours
    early = await catalogue.bus_on(Clock(expires_at - timedelta(seconds=1))).handle(
        LapseExpiredOffers()
    )
    assert early == []
    at_expiry = catalogue.bus_on(Clock(expires_at))
    runs = await asyncio.gather(  # two workers at once: it lapses once
        at_expiry.handle(LapseExpiredOffers()),
        at_expiry.handle(LapseExpiredOffers()),
        return_exceptions=True,
    )
    assert sum(len(run) for run in runs if isinstance(run, list)) == 1, runs

    refunded = await eventually(lambda: line_of(shop, ashwell["id"], "lapsed"))
    assert refunded["booking"] == "lapsed"
    order = await shop.order(ashwell["id"])
    assert (order["status"], order["payment_status"], order["refundable_pence"]) == (
        "cancelled",
        "refunded",
        0,
    )
    [made] = await shop.refunds_settled(ashwell["id"])  # asked of Stripe by orders' worker
    assert (made["status"], made["gross_pence"]) == ("done", 78_000)
    assert (await shop.order(ashwell["id"]))["refunded_pence"] == 78_000
    offered = await eventually(lambda: line_of(shop, bushey["id"], "offered"))
    assert expiry(offered) == expires_at + timedelta(hours=offer_hours)
    assert (ASHWELL, "lapsed") in await catalogue_bookings(shop, session["id"])

    declined = await shop.orders.post(
        f"/orders/{bushey['id']}/lines/{offered['line_id']}/decline",
        headers=auth(Role.SCHOOL, BUSHEY_HEATH),
    )
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["payment_status"]) == (
        "cancelled",
        "credited",
    )

    async def place_free_again() -> bool:
        sessions = await shop.platform.catalogue.get(
            f"/services/{session['service_id']}/sessions", headers=CATALOGUE_ADMIN
        )
        return bool(sessions.json()[0]["places_left"] == 1)

    assert await eventually(place_free_again)  # nobody else is waiting for it
    (bushey_booking,) = {
        status
        for urn, status in await catalogue_bookings(shop, session["id"])
        if urn == BUSHEY_HEATH
    }
    assert bushey_booking in ("declined", "released")  # the decline or the cancelled order, first


async def test_the_school_offered_accepts_before_the_offer_expires_and_not_after(
    shop: Shop,
) -> None:
    session, ashwell, _ = await ashwell_offered(shop)
    line = ashwell["lines"][0]
    expires_at = expiry(line)
    accept = f"/orders/{ashwell['id']}/lines/{line['line_id']}/accept"

    shop.set_day(expires_at)
    late = await shop.orders.post(accept, headers=ASHWELL_SCHOOL)
    assert late.status_code == 409, late.text
    assert late.json()["detail"].startswith("the offer expired at ")

    shop.set_day(expires_at - timedelta(seconds=1))
    accepted = await shop.orders.post(accept, headers=ASHWELL_SCHOOL)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["lines"][0]["booking"] == "reserved"
    assert accepted.json()["payment_status"] == "paid"

    async def reserved_in_catalogue() -> bool:
        return (ASHWELL, "reserved") in await catalogue_bookings(shop, session["id"])

    assert await eventually(reserved_in_catalogue)
    again = await shop.orders.post(accept, headers=ASHWELL_SCHOOL)
    assert again.status_code == 409
