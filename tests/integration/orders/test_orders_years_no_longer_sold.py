"""A basket keeps a course line's quote from when it was added; once the catalogue stops selling
the course for the academic year of its session, the checkout refuses that line by name, as the
catalogue's quote would, and nothing is charged or booked: orders learns the years a course is
sold for from the catalogue's events over NATS."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

from tests.integration.orders.test_orders_called_off_sessions import (
    checked_out_once_removed,
    checkout_in_the_portal,
    sessions_offered,
)
from tests.support.orders_shop import CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import eventually


async def test_a_basket_line_in_a_year_the_course_is_no_longer_sold_for_is_refused_at_checkout(
    shop: Shop,
) -> None:
    shop.set_day(date(2027, 3, 1))
    course = await shop.service(
        title="Middle leadership programme",
        service_type="course",
        category="CPD",
        academic_years=["2026/27", "2027/28"],
    )
    other = await shop.service()
    session = await shop.session(course["id"], starts_on="2027-10-04", capacity=12)
    basket = await shop.add(course["id"], 1, session_id=session["id"])
    await shop.add(other["id"])
    narrowed = await shop.platform.catalogue.patch(
        f"/services/{course['id']}", json={"academic_years": ["2026/27"]}, headers=CATALOGUE_ADMIN
    )
    assert narrowed.status_code == 200, narrowed.text

    async def heard() -> bool:  # orders' listing of the course has the years narrowed
        listed = (await shop.orders.get("/listings", headers=SCHOOL)).json()
        return any(
            listing["service_id"] == course["id"] and listing["academic_years"] == ["2026/27"]
            for listing in listed
        )

    await eventually(heard)
    refused = await shop.checkout("invoice")
    offered, _ = await sessions_offered(shop, course)
    in_the_portal = await checkout_in_the_portal(shop)
    orders = await shop.orders.get("/orders", headers=SCHOOL)
    sessions = await shop.platform.catalogue.get(
        f"/services/{course['id']}/sessions", headers=CATALOGUE_ADMIN
    )

    why = (
        "Middle leadership programme: the session on 4 October 2027 is in 2027/28, and the "
        "course is now sold only for 2026/27; remove it from the basket"
    )
    assert refused.status_code == 409, refused.text
    assert refused.json() == {"detail": why, "field": "lines.0.session_id"}
    assert why in in_the_portal
    assert offered == []  # the shop no longer offers it either
    assert (orders.json(), await shop.outbox("orders.order.placed.v1")) == ([], [])
    assert [found["places_left"] for found in sessions.json()] == [12]

    assert await checked_out_once_removed(shop, basket["lines"][0]["line_id"]) == [other["id"]]


async def course_in_two_years(shop: Shop) -> tuple[dict[str, Any], dict[str, Any]]:
    """A course sold for 2026/27 and 2027/28 with a session in 2027/28, in the basket."""
    shop.set_day(date(2027, 3, 1))
    course = await shop.service(
        title="Middle leadership programme",
        service_type="course",
        category="CPD",
        academic_years=["2026/27", "2027/28"],
    )
    session = await shop.session(course["id"], starts_on="2027-10-04", capacity=12)
    await shop.add(course["id"], 1, session_id=session["id"])
    return course, session


async def narrowed_to_2026_27(shop: Shop, course: dict[str, Any]) -> None:
    narrowed = await shop.platform.catalogue.patch(
        f"/services/{course['id']}", json={"academic_years": ["2026/27"]}, headers=CATALOGUE_ADMIN
    )
    assert narrowed.status_code == 200, narrowed.text


async def placed_before_orders_heard(shop: Shop, change: Awaitable[None]) -> dict[str, Any]:
    """The basket checked out by invoice after the catalogue's `change`, which orders does not
    hear of until the order is placed; the order once it has been given back."""
    await shop.platform.stop_worker("orders")
    await change
    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    await shop.platform.start_worker("orders")

    async def given_back() -> dict[str, Any]:
        order = await shop.order(placed.json()["id"])
        return order if order["status"] == "cancelled" else {}

    return await eventually(given_back)


async def places_left(shop: Shop, course: dict[str, Any]) -> list[int]:
    sessions = await shop.platform.catalogue.get(
        f"/services/{course['id']}/sessions", headers=CATALOGUE_ADMIN
    )
    return [found["places_left"] for found in sessions.json()]


async def test_an_order_placed_before_orders_heard_of_the_narrowing_is_refused_its_places(
    shop: Shop,
) -> None:
    """Placed in the moments between the catalogue narrowing the years and orders hearing of
    it, the order reaches the catalogue, which refuses it places on a session in a year it no
    longer sells; orders gives the school its money back (here, credits the invoice)."""
    course, _ = await course_in_two_years(shop)
    order = await placed_before_orders_heard(shop, narrowed_to_2026_27(shop, course))
    assert order["lines"][0]["booking"] == "refused"
    assert order["invoice"]["credited_pence"] == order["gross_pence"]
    (note,) = await shop.outbox("orders.credit_note.issued.v1")
    assert "no longer sold for 2027/28" in note["reason"]
    assert await places_left(shop, course) == [12]


async def test_an_order_placed_before_the_narrowing_keeps_its_places_however_late_heard(
    shop: Shop,
) -> None:
    course, _ = await course_in_two_years(shop)
    await shop.platform.stop_worker("catalogue")  # the catalogue hears of the order late
    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    await narrowed_to_2026_27(shop, course)
    await shop.platform.start_worker("catalogue")

    async def reserved() -> bool:
        order = await shop.order(placed.json()["id"])
        return bool(order["lines"][0]["booking"] == "reserved")

    await eventually(reserved)
    assert await places_left(shop, course) == [11]
