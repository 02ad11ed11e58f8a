"""A basket keeps its quoted lines, each for the term it was quoted for; a subscription's year
or a rolling service's period that has ended by the checkout is not bought: the line is refused
by name, for the school (or its trust's buyer) to remove and add again for the term to come."""

from __future__ import annotations

import uuid
from datetime import date

from services.seed.demo_trust import DEMO_TRUST_CODE
from shared.auth import Role
from tests.support.orders_shop import SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, auth

FLEETVILLE_JUNIOR = 138205  # a primary academy of the demo trust
TRUST = auth(Role.TRUST_BUYER, trust=DEMO_TRUST_CODE)


async def test_a_subscription_whose_year_ended_in_the_basket_is_refused_at_checkout(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 8, 20))
    sla = await shop.service(title="Data SLA", service_type="subscription", category="Data")
    basket = await shop.add(sla["id"])
    assert (basket["lines"][0]["term_start"], basket["lines"][0]["term_end"]) == (
        "2025-09-01",
        "2026-08-31",
    )
    shop.set_day(date(2026, 9, 3))

    refused = await shop.checkout("card")

    assert refused.status_code == 409, refused.text
    assert refused.json() == {
        "detail": "Data SLA: its term, 1 September 2025 to 31 August 2026, is over; remove it "
        "from the basket and add it again for the term to come",
        "field": "lines.0.service_id",
    }
    orders = await shop.orders.get("/orders", headers=SCHOOL)
    assert orders.json() == []  # nothing charged, no card payment asked for
    kept = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert len(kept.json()["lines"]) == 1

    await shop.orders.delete(
        f"/baskets/{ABBOTS_LANGLEY}/lines/{basket['lines'][0]['line_id']}", headers=SCHOOL
    )
    bought = await shop.buy(sla["id"])
    assert (bought["lines"][0]["term_start"], bought["lines"][0]["term_end"]) == (
        "2026-09-01",
        "2027-08-31",
    )


async def test_a_rolling_service_whose_period_ended_in_the_basket_starts_no_subscription(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 7, 1))
    payroll = await shop.payroll_service(notice_days=30)
    await shop.add(payroll["id"])
    shop.set_day(date(2026, 12, 7))

    refused = await shop.checkout("invoice")

    assert refused.status_code == 409, refused.text
    assert refused.json()["field"] == "lines.0.service_id"
    assert "1 April 2026 to 31 August 2026, is over" in refused.json()["detail"]
    rolling = await shop.orders.get(
        "/rolling-subscriptions", params={"urn": ABBOTS_LANGLEY}, headers=SCHOOL
    )
    assert rolling.json() == []


async def test_a_trust_basket_line_whose_year_ended_is_refused_at_the_trust_s_checkout(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 8, 20))
    review = await shop.service(unit_price_pence=65_000)
    sla = await shop.service(title="Data SLA", service_type="subscription", category="Data")
    for service in (review, sla):
        added = await shop.orders.post(
            f"/baskets/{FLEETVILLE_JUNIOR}/lines",
            json={"service_id": service["id"], "quantity": 1},
            headers=TRUST,
        )
        assert added.status_code == 201, added.text
    shop.set_day(date(2026, 9, 1))

    refused = await shop.orders.post(
        f"/trusts/{DEMO_TRUST_CODE}/checkout",
        json={"purchase_order": "TRUST-PO-8"},
        headers={**TRUST, "Idempotency-Key": uuid.uuid4().hex},
    )

    assert refused.status_code == 409, refused.text
    assert refused.json()["field"] == "lines.1.service_id"
    assert refused.json()["detail"].startswith("Data SLA: its term, 1 September 2025 to 31 Aug")
    orders = await shop.orders.get("/orders", headers=TRUST)
    assert orders.json() == []
