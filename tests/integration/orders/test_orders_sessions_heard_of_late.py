"""Orders refuses at checkout a session that has begun or was called off, but the catalogue may
hear of an order late (its worker down, a backlog): by then the session's day may have come, or
the session been called off. The catalogue refuses it places, saying why, and orders gives the
school its money back in full, telling it truly why; heard before the session's day, the order
still has its places."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.catalogue.application.minimums import CallOffShortSessions
from shared.clock import Clock
from tests.integration.orders.test_orders_years_no_longer_sold import places_left
from tests.support.orders_shop import CATALOGUE_ADMIN, Shop
from tests.support.platform import eventually
from tests.support.portal_pages import signed_in_portal, text_of

ORDERED_ON = date(2027, 3, 1)
RUNS_ON = date(2027, 3, 10)


async def course_in_the_basket(shop: Shop, **session: Any) -> dict[str, Any]:
    """A course with a session on RUNS_ON, in the basket on ORDERED_ON."""
    shop.set_day(ORDERED_ON)
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    created = await shop.platform.catalogue.post(
        f"/services/{course['id']}/sessions",
        json={"starts_on": RUNS_ON.isoformat(), "venue": "Stevenage", "capacity": 12, **session},
        headers=CATALOGUE_ADMIN,
    )
    assert created.status_code == 201, created.text
    await shop.add(course["id"], 1, session_id=created.json()["id"])
    return course


async def placed_unheard(shop: Shop) -> str:
    """An order by invoice the catalogue has not heard of yet: the id of the order."""
    await shop.platform.stop_worker("catalogue")
    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


async def given_back(shop: Shop, order_id: str) -> tuple[dict[str, Any], str, str]:
    """The order once given back, the reason on its credit note, and its page in the portal."""

    async def cancelled() -> dict[str, Any]:
        order = await shop.order(order_id)
        return order if order["status"] == "cancelled" else {}

    order = await eventually(cancelled)
    (note,) = await shop.outbox("orders.credit_note.issued.v1")
    async with signed_in_portal(shop.platform, "school") as school:
        page = text_of((await school.get(f"/orders/{order_id}")).text)
    return order, note["reason"], page


async def catalogue_answers(shop: Shop) -> list[tuple[str, dict[str, Any]]]:
    """What the catalogue answered the order's request for places: each subject, and payload."""
    return [
        (subject, payload)
        for subject in ("catalogue.places.unavailable.v1", "catalogue.places.refused.v1")
        for payload in await shop.outbox(subject, service="catalogue")
    ]


async def test_an_order_heard_on_the_session_s_day_is_refused_places_and_credited(
    shop: Shop,
) -> None:
    course = await course_in_the_basket(shop)
    order_id = await placed_unheard(shop)
    shop.set_day(RUNS_ON)  # the session is under way when the catalogue hears of the order
    await shop.platform.start_worker("catalogue")

    order, reason, page = await given_back(shop, order_id)

    assert order["lines"][0]["booking"] == "too_late"
    assert order["invoice"]["credited_pence"] == order["gross_pence"]
    assert "the session had already begun" in reason
    assert "Given back: the session had already begun" in page
    assert "no longer sold" not in (reason + page).lower()
    assert await places_left(shop, course) == [12]


async def test_an_order_heard_after_its_session_was_called_off_is_refused_places(
    shop: Shop,
) -> None:
    course = await course_in_the_basket(
        shop, minimum_places=3, decision_on=date(2027, 3, 5).isoformat()
    )
    order_id = await placed_unheard(shop)
    catalogue = shop.platform.services["catalogue"]
    called_off = await catalogue.bus_on(Clock(date(2027, 3, 5))).handle(CallOffShortSessions())
    assert len(called_off) == 1
    shop.set_day(date(2027, 3, 6))  # before the session's day: only the call-off refuses it
    await shop.platform.start_worker("catalogue")

    order, reason, page = await given_back(shop, order_id)

    # Orders gives the line back on hearing of the call-off, or of the refusal, whichever
    # comes first; the catalogue no longer puts it on the waiting list (the school told its
    # line waits for a place on a session that will not run).
    assert order["lines"][0]["booking"] == "cancelled"
    assert order["invoice"]["credited_pence"] == order["gross_pence"]
    assert "no longer sold" not in reason
    assert "Given back: session called off" in page
    [(subject, answer)] = await eventually(lambda: catalogue_answers(shop))
    assert (subject, answer.get("reason")) == ("catalogue.places.refused.v1", "session_called_off")
    assert await places_left(shop, course) == [12]


async def test_an_order_heard_late_but_before_the_session_s_day_keeps_its_places(
    shop: Shop,
) -> None:
    course = await course_in_the_basket(shop)
    order_id = await placed_unheard(shop)
    shop.set_day(date(2027, 3, 9))  # the day before the session
    await shop.platform.start_worker("catalogue")

    async def reserved() -> bool:
        return bool((await shop.order(order_id))["lines"][0]["booking"] == "reserved")

    await eventually(reserved)
    assert await places_left(shop, course) == [11]
