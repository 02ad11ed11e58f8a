"""Orders placed, cancelled and refunded (and basket changes) are in the orders audit as the people who did them; what
the catalogue's worker does in answer is the system's, naming the event it answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from shared.auth import Role
from shared.clock import Clock
from tests.support.orders_shop import FINANCE, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, auth, eventually

ADMIN = auth(Role.ADMIN)


async def audit(shop: Shop, service: str, **filters: Any) -> list[dict[str, Any]]:
    answer = await shop.platform.clients[service].get("/audit", params=filters, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()["entries"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_orders_placed_cancelled_and_refunded_are_audited_with_who_did_them(
    shop: Shop,
) -> None:
    service = await shop.service()
    paid = await shop.paid_by_card(service["id"])
    refunded = await shop.orders.post(
        f"/orders/{paid['id']}/refunds",
        json={"amount_pence": 1_000, "reason": "Goodwill"},
        headers=FINANCE,
    )
    assert refunded.status_code == 201, refunded.text
    invoiced = await shop.buy(service["id"])
    cancelled = await shop.orders.post(
        f"/orders/{invoiced['id']}/cancel", json={"reason": "Not needed"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text

    entries = await audit(shop, "orders")
    done = {(e["action"], e["object_id"], e["actor"]) for e in entries}
    assert {
        ("order.placed", paid["id"], "test-school"),
        ("order.placed", invoiced["id"], "test-school"),
        ("order.cancelled", invoiced["id"], "test-school"),
        ("basket.line_added", str(ABBOTS_LANGLEY), "test-school"),
    } <= done
    (refund,) = [e for e in entries if e["action"] == "refund.issued"]
    assert (refund["actor"], refund["role"]) == ("test-finance", "finance")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_worker_s_change_is_audited_as_the_system_naming_the_event_it_answers(
    shop: Shop,
) -> None:
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    runs_on = (Clock().today() + timedelta(days=30)).isoformat()
    session = await shop.session(course["id"], starts_on=runs_on, capacity=20)
    await shop.add(course["id"], 1, session_id=session["id"])
    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    (order_placed,) = await audit(
        shop, "orders", object_type="order", object_id=placed.json()["id"]
    )

    async def reserved() -> list[dict[str, Any]]:
        entries = await audit(shop, "catalogue", actor="system")
        return [e for e in entries if e["action"] == "places.reserved"]

    (answer,) = await eventually(reserved)
    assert answer["role"] == "system"
    assert answer["cause_event_id"] == order_placed["event_id"]
    assert answer["correlation_id"] == order_placed["correlation_id"]
