"""A course with a session a school can book is bought on one of its sessions: places bought on
none were charged and booked onto nothing, with no session on the order, the invoice or the
school's bookings. A course that never had a session is bought undated, until one is set; one
whose every session has passed or was called off is not sold at all."""

from __future__ import annotations

import uuid
from datetime import date

from tests.support.orders_shop import SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY
from tests.support.portal_pages import signed_in_portal, text_of


async def test_a_course_with_sessions_to_book_is_refused_without_one(shop: Shop) -> None:
    shop.set_day(date(2027, 1, 4))
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    undated = await shop.service(title="Online safeguarding", service_type="course")
    await shop.session(course["id"], starts_on="2027-02-01", capacity=12)

    added = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/lines",
        json={"service_id": course["id"], "quantity": 2},
        headers=SCHOOL,
    )
    ordered = await shop.orders.post(
        "/orders",
        json={
            "urn": ABBOTS_LANGLEY,
            "lines": [{"service_id": course["id"], "quantity": 2}],
            "payment_method": "invoice",
            "purchase_order": "PO-NO-SESSION",
        },
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    async with signed_in_portal(shop.platform, "school") as school:
        page = await school.post(f"/shop/{course['id']}/basket", data={"quantity": "2"})

    why = "Phonics leadership runs on dated sessions: choose the session to book"
    assert added.status_code == 422, added.text
    assert (added.json()["field"], added.json()["detail"]) == (
        "session_id",
        f"the catalogue refused: {why}",
    )
    assert ordered.status_code == 422, ordered.text
    assert ordered.json()["field"] == "lines.0.session_id"
    assert why in text_of(page.text)
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert basket.json()["lines"] == []
    assert (await shop.orders.get("/orders", headers=SCHOOL)).json() == []

    booked = await shop.buy(course["id"], quantity=2, session_id=(await _first(shop, course)))
    assert booked["lines"][0]["delivery_on"] == "2027-02-01"
    assert (await shop.buy(undated["id"]))["lines"][0]["session_id"] is None


async def _first(shop: Shop, course: dict[str, object]) -> str:
    sessions = await shop.platform.catalogue.get(
        f"/services/{course['id']}/sessions", params={"bookable": "true"}, headers=SCHOOL
    )
    assert sessions.status_code == 200, sessions.text
    return str(sessions.json()[0]["id"])


async def test_a_course_whose_sessions_have_all_passed_is_not_sold(shop: Shop) -> None:
    shop.set_day(date(2027, 1, 4))
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    await shop.session(course["id"], starts_on="2027-02-01", capacity=12)
    shop.set_day(date(2027, 2, 1))  # its only session runs today: it can no longer be booked

    added = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/lines",
        json={"service_id": course["id"], "quantity": 2},
        headers=SCHOOL,
    )
    async with signed_in_portal(shop.platform, "school") as school:
        page = await school.get(f"/shop/{course['id']}")

    why = "Phonics leadership has no sessions to book: each has passed or was called off"
    assert added.status_code == 422, added.text
    assert (added.json()["field"], added.json()["detail"]) == (
        "session_id",
        f"the catalogue refused: {why}",
    )
    assert "No sessions to book" in text_of(page.text)
    assert "Add to basket" not in text_of(page.text)
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert basket.json()["lines"] == []
