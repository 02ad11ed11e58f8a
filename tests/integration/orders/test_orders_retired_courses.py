"""A course the catalogue retires is no longer sold: an order placed in the moments between the
retirement and orders hearing of it reaches the catalogue, which refuses it places
(`catalogue.places.refused.v1`, `service_retired`), and orders gives the line back in full;
an order placed before the retirement keeps its places, however late the catalogue hears of it."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.integration.orders.test_orders_years_no_longer_sold import (
    placed_before_orders_heard,
    places_left,
)
from tests.support.orders_shop import CATALOGUE_ADMIN, Shop
from tests.support.platform import eventually


async def course_in_the_basket(shop: Shop) -> dict[str, Any]:
    shop.set_day(date(2027, 3, 1))
    course = await shop.service(
        title="Middle leadership programme", service_type="course", category="CPD"
    )
    session = await shop.session(course["id"], starts_on="2027-05-04", capacity=12)
    await shop.add(course["id"], 1, session_id=session["id"])
    return course


async def retired(shop: Shop, course: dict[str, Any]) -> None:
    answer = await shop.platform.catalogue.post(
        f"/services/{course['id']}/retire", headers=CATALOGUE_ADMIN
    )
    assert answer.status_code == 200, answer.text


async def test_an_order_placed_before_orders_heard_of_the_retirement_is_refused_its_places(
    shop: Shop,
) -> None:
    course = await course_in_the_basket(shop)
    order = await placed_before_orders_heard(shop, retired(shop, course))
    assert order["lines"][0]["booking"] == "retired"
    assert order["invoice"]["credited_pence"] == order["gross_pence"]
    (note,) = await shop.outbox("orders.credit_note.issued.v1")
    assert "no longer sold when the order was placed" in note["reason"]
    (refusal,) = await shop.outbox("catalogue.places.refused.v1", service="catalogue")
    assert (refusal["reason"], refusal["title"]) == ("service_retired", course["title"])
    assert await places_left(shop, course) == [12]


async def test_an_order_placed_before_the_retirement_keeps_its_places_however_late_heard(
    shop: Shop,
) -> None:
    course = await course_in_the_basket(shop)
    await shop.platform.stop_worker("catalogue")  # the catalogue hears of the order late
    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    await retired(shop, course)
    await shop.platform.start_worker("catalogue")

    async def reserved() -> bool:
        order = await shop.order(placed.json()["id"])
        return bool(order["lines"][0]["booking"] == "reserved")

    await eventually(reserved)
    assert await places_left(shop, course) == [11]
