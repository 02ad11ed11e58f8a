"""A course session still under its minimum at its decision date is called off by the
catalogue's job; orders, hearing it over NATS, refunds every card booking through Stripe and
credits every invoiced one, in full, once, even when two workers run the job at once. A session
called off, or begun, is no longer offered in the shop, quoted, or checked out from a basket."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from typing import Any

from services.catalogue.application.minimums import CallOffShortSessions
from shared.auth import Role
from shared.calendar import long_date
from shared.clock import Clock
from tests.support.orders_shop import CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth, eventually
from tests.support.portal_pages import signed_in_portal, text_of

RUNS_ON = Clock().today() + timedelta(days=10)  # inside the days-before rule's "no refund"
DECIDES_ON = Clock().today() + timedelta(days=4)


async def short_session(shop: Shop) -> tuple[dict[str, Any], dict[str, Any]]:
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    created = await shop.platform.catalogue.post(
        f"/services/{course['id']}/sessions",
        json={
            "starts_on": RUNS_ON.isoformat(),
            "venue": "Training centre, Stevenage",
            "capacity": 12,
            "minimum_places": 3,
            "decision_on": DECIDES_ON.isoformat(),
        },
        headers=CATALOGUE_ADMIN,
    )
    assert created.status_code == 201, created.text
    return course, created.json()


async def test_a_session_under_its_minimum_is_called_off_and_every_booking_given_back(
    shop: Shop,
) -> None:
    course, session = await short_session(shop)
    card = await shop.paid_by_card(course["id"], session_id=session["id"])
    await shop.add(course["id"], 1, urn=ASHWELL, session_id=session["id"])
    invoiced = (await shop.checkout("invoice", urn=ASHWELL)).json()

    async def both_reserved() -> bool:
        orders = [await shop.order(found["id"]) for found in (card, invoiced)]
        return all(order["lines"][0]["booking"] == "reserved" for order in orders)

    await eventually(both_reserved)
    catalogue = shop.platform.services["catalogue"]
    day_before = await catalogue.bus_on(Clock(DECIDES_ON - timedelta(days=1))).handle(
        CallOffShortSessions()
    )
    assert day_before == []

    on_the_day = catalogue.bus_on(Clock(DECIDES_ON))
    first, second = await asyncio.gather(  # two workers at once: one calls it off
        on_the_day.handle(CallOffShortSessions()),
        on_the_day.handle(CallOffShortSessions()),
        return_exceptions=True,
    )
    called_off = [found for found in (first, second) if isinstance(found, list)]
    assert sum(len(found) for found in called_off) == 1

    async def given_back(order_id: str, payment: str) -> dict[str, Any]:
        order = await shop.order(order_id)
        return order if order["payment_status"] == payment else {}

    refunded = await eventually(lambda: given_back(card["id"], "refunded"))
    credited = await eventually(lambda: given_back(invoiced["id"], "credited"))
    given = refunded["refunded_pence"] + refunded["refund_asked_pence"]  # made, or being made
    assert (refunded["status"], given, refunded["refundable_pence"]) == ("cancelled", 78_000, 0)
    assert refunded["lines"][0]["booking"] == "cancelled"
    assert (credited["status"], credited["invoice"]["credited_pence"]) == ("cancelled", 78_000)
    [refund] = await shop.refunds_settled(card["id"])  # asked of Stripe by orders' worker
    assert (refund["status"], refund["gross_pence"]) == ("done", 78_000)
    assert (await shop.order(card["id"]))["refunded_pence"] == 78_000
    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": card["payment_reference"]}
    )
    assert [refund.amount for refund in at_stripe.data] == [78_000]
    (note,) = await shop.outbox("orders.credit_note.issued.v1")
    assert "fewer than 3 places were booked" in note["reason"]
    assert [line["withdrawn"] for line in note["lines"]] == [True]  # the school takes no part

    sessions = await shop.platform.catalogue.get(
        f"/services/{course['id']}/sessions", headers=CATALOGUE_ADMIN
    )
    assert sessions.json()[0]["cancelled_on"] == DECIDES_ON.isoformat()
    again = await shop.orders.post(
        f"/baskets/{ASHWELL}/lines",
        json={"service_id": course["id"], "quantity": 1, "session_id": session["id"]},
        headers=auth(Role.SCHOOL, ASHWELL),
    )
    assert again.status_code == 422, again.text
    assert again.json() == {
        "detail": "the catalogue refused: that session has been cancelled",
        "field": "session_id",
    }


async def test_a_session_that_reached_its_minimum_runs(shop: Shop) -> None:
    course, session = await short_session(shop)
    order = await shop.buy(course["id"], "invoice", 3, session_id=session["id"])

    async def reserved() -> bool:
        return bool((await shop.order(order["id"]))["lines"][0]["booking"] == "reserved")

    await eventually(reserved)
    catalogue = shop.platform.services["catalogue"]
    on_the_day = catalogue.bus_on(Clock(DECIDES_ON))
    assert await on_the_day.handle(CallOffShortSessions()) == []


async def test_a_minimum_above_the_capacity_is_refused_naming_the_field(shop: Shop) -> None:
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    refused = await shop.platform.catalogue.post(
        f"/services/{course['id']}/sessions",
        json={
            "starts_on": RUNS_ON.isoformat(),
            "venue": "Stevenage",
            "capacity": 2,
            "minimum_places": 3,
            "decision_on": DECIDES_ON.isoformat(),
        },
        headers=CATALOGUE_ADMIN,
    )
    assert refused.status_code in (409, 422), refused.text
    assert "minimum_places" in refused.text


async def sessions_offered(shop: Shop, course: dict[str, Any]) -> tuple[list[str], str]:
    """The sessions the shop's page of the course offers the school, and what the page says."""
    async with signed_in_portal(shop.platform, "school") as school:
        page = await school.get(f"/shop/{course['id']}")
    assert page.status_code == 200, page.text
    return re.findall(r'name="session_id" type="radio" value="([^"]+)"', page.text), text_of(
        page.text
    )


async def checkout_in_the_portal(shop: Shop) -> str:
    """What the basket's page says once the school checks out by invoice in the portal."""
    async with signed_in_portal(shop.platform, "school") as school:
        answer = await school.post(
            "/basket/checkout", data={"payment_method": "invoice", "purchase_order": "PO-1"}
        )
    return text_of(answer.text)


async def checked_out_once_removed(shop: Shop, line_id: str) -> list[str]:
    """The school removes the line refused from its basket and checks out the rest: the
    services of the order placed."""
    removed = await shop.orders.delete(f"/baskets/{ABBOTS_LANGLEY}/lines/{line_id}", headers=SCHOOL)
    assert removed.status_code == 200, removed.text
    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    return [line["service_id"] for line in placed.json()["lines"]]


async def test_a_basket_line_on_a_session_called_off_after_it_was_added_is_refused_at_checkout(
    shop: Shop,
) -> None:
    course, session = await short_session(shop)
    other = await shop.service()
    await shop.add(course["id"], 1, urn=ASHWELL, session_id=session["id"])
    booked = (await shop.checkout("invoice", urn=ASHWELL)).json()
    basket = await shop.add(course["id"], 1, session_id=session["id"])
    await shop.add(other["id"])
    on_the_day = shop.platform.services["catalogue"].bus_on(Clock(DECIDES_ON))
    assert len(await on_the_day.handle(CallOffShortSessions())) == 1

    async def heard() -> bool:  # orders has given the booked school its money back
        return bool((await shop.order(booked["id"]))["status"] == "cancelled")

    await eventually(heard)
    refused = await shop.checkout("invoice")
    offered, page = await sessions_offered(shop, course)
    in_the_portal = await checkout_in_the_portal(shop)

    why = (
        f"Phonics leadership: the session on {long_date(RUNS_ON)} has been cancelled; "
        "remove it from the basket"
    )
    assert refused.status_code == 409, refused.text
    assert refused.json() == {"detail": why, "field": "lines.0.session_id"}
    assert why in in_the_portal
    assert (offered, "No sessions to book" in page) == ([], True)
    assert await checked_out_once_removed(shop, basket["lines"][0]["line_id"]) == [other["id"]]


async def test_a_session_begun_is_not_offered_quoted_or_checked_out(shop: Shop) -> None:
    shop.set_day(date(2027, 1, 11))
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    ran, runs_today, to_come = [
        await shop.session(course["id"], starts_on=day, capacity=12)
        for day in ("2027-01-13", "2027-01-14", "2027-01-20")
    ]
    await shop.add(course["id"], 1, session_id=ran["id"])
    shop.set_day(date(2027, 1, 14))

    refused = await shop.checkout("invoice")
    too_late = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/lines",
        json={"service_id": course["id"], "quantity": 1, "session_id": runs_today["id"]},
        headers=SCHOOL,
    )
    offered, _ = await sessions_offered(shop, course)

    assert refused.status_code == 409, refused.text
    assert refused.json() == {
        "detail": "Phonics leadership: the session on 13 January 2027 can no longer be booked; "
        "remove it from the basket",
        "field": "lines.0.session_id",
    }
    assert too_late.status_code == 422, too_late.text
    assert too_late.json() == {
        "detail": "the catalogue refused: that session is today: it can no longer be booked",
        "field": "session_id",
    }
    assert offered == [to_come["id"]]
