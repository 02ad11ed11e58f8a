"""A rolling service renews itself each period until cancelled: buying one starts a
subscription; the renewal job raises the next period's order and invoice at the price then in
force, once however many workers run it; notice ends the subscription at the earliest period end
it is in time for, renewing it up to that period and not after."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from services.orders.entrypoints.worker import renew_due
from shared.auth import Role
from shared.clock import Clock
from tests.integration.orders.test_orders_shop_for_next_year import listed, portal_on
from tests.integration.orders.test_orders_shop_price_is_the_basket_s import on_day
from tests.support.orders_shop import CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, auth
from tests.support.portal_pages import text_of
from tests.support.tariffs import flat


async def renew(shop: Shop, today: date) -> list[Any]:
    """The renewal job's run on a day, asking the catalogue in this process as the worker would."""
    return await renew_due(shop.platform.services["orders"].bus_on(Clock(today)))


async def rolling(shop: Shop) -> dict[str, Any]:
    found = await shop.orders.get(
        "/rolling-subscriptions", params={"urn": ABBOTS_LANGLEY}, headers=SCHOOL
    )
    assert found.status_code == 200, found.text
    (subscription,) = found.json()
    return dict(subscription)


async def test_a_rolling_service_renews_each_term_at_the_price_in_force_until_cancelled(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 5))
    payroll = await shop.payroll_service(notice_days=30)
    first = await shop.buy(payroll["id"], "invoice")
    assert (first["lines"][0]["term_start"], first["lines"][0]["term_end"]) == (
        "2026-09-01",
        "2026-12-31",
    )
    subscription = await rolling(shop)
    assert (subscription["next_renewal"], subscription["status"]) == ("2027-01-01", "active")

    repriced = await shop.platform.catalogue.put(
        f"/services/{payroll['id']}/prices",
        json={"prices": {"maintained": flat(48_000)}, "vat_rate": "standard"},
        headers=CATALOGUE_ADMIN,
    )
    assert repriced.status_code == 200, repriced.text
    assert await renew(shop, date(2026, 12, 31)) == []  # the period is not over yet
    both = await asyncio.gather(renew(shop, date(2027, 1, 1)), renew(shop, date(2027, 1, 1)))
    assert both[0] == both[1] and len(both[0]) == 1  # two workers: one order
    assert await renew(shop, date(2027, 1, 2)) == []

    renewal = await shop.order(str(both[0][0]))
    (line,) = renewal["lines"]
    assert (line["unit_price_pence"], line["term_start"], line["term_end"]) == (
        48_000,
        "2027-01-01",
        "2027-03-31",
    )
    assert renewal["invoice"]["purchase_order"] == "PO-2026-117"
    assert len(await shop.outbox("orders.invoice.raised.v1")) == 2
    subscription = await rolling(shop)
    assert (subscription["period_end"], subscription["next_renewal"]) == (
        "2027-03-31",
        "2027-04-01",
    )

    shop.set_day(date(2027, 3, 1))  # 30 days before: in time
    cancelled = await shop.orders.post(
        f"/rolling-subscriptions/{subscription['id']}/cancel", headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["ends_on"]) == ("ending", "2027-03-31")
    assert cancelled.json()["next_renewal"] is None

    assert await renew(shop, date(2027, 4, 1)) == []
    assert (await rolling(shop))["status"] == "ended"
    orders = await shop.orders.get("/orders", params={"urn": ABBOTS_LANGLEY}, headers=SCHOOL)
    assert len(orders.json()) == 2


@pytest.mark.parametrize("notice_days", [30, 100])
async def test_notice_too_late_for_this_term_ends_the_subscription_with_the_next_one(
    shop: Shop, notice_days: int
) -> None:
    """Bought on 7 December, it is too late to stop the spring term (30 days' notice, by 1
    December; 100 days', by 22 September), but in time to end with it: the school asking to
    cancel now is told 31 March, and the spring term is its last."""
    shop.set_day(date(2026, 12, 7))
    payroll = await shop.payroll_service(notice_days=notice_days)
    await shop.buy(payroll["id"], "invoice")
    subscription = await rolling(shop)

    cancelled = await shop.orders.post(
        f"/rolling-subscriptions/{subscription['id']}/cancel", headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    assert {k: cancelled.json()[k] for k in ("status", "ends_on", "next_renewal")} == {
        "status": "ending",
        "ends_on": "2027-03-31",
        "next_renewal": "2027-01-01",
    }
    again = await shop.orders.post(
        f"/rolling-subscriptions/{subscription['id']}/cancel", headers=SCHOOL
    )
    assert again.status_code == 409, again.text
    assert again.json() == {"detail": "this subscription is already ending", "field": "status"}

    (spring,) = await renew(shop, date(2027, 1, 1))
    (line,) = (await shop.order(str(spring)))["lines"]
    assert (line["term_start"], line["term_end"]) == ("2027-01-01", "2027-03-31")
    subscription = await rolling(shop)
    assert (subscription["status"], subscription["next_renewal"]) == ("ending", None)
    assert await renew(shop, date(2027, 3, 31)) == []
    assert (await rolling(shop))["status"] == "ending"
    assert await renew(shop, date(2027, 4, 1)) == []
    assert (await rolling(shop))["status"] == "ended"
    assert await renew(shop, date(2027, 9, 1)) == []
    assert len(await shop.outbox("orders.invoice.raised.v1")) == 2


async def test_a_rolling_service_needs_a_renewal_period(shop: Shop) -> None:
    refused = await shop.platform.catalogue.post(
        "/services",
        json={
            "code": "ROLL-NO-PERIOD",
            "title": "Payroll bureau",
            "service_type": "rolling",
            "category": "HR",
            "unit_price_pence": 45_000,
        },
        headers=CATALOGUE_ADMIN,
    )
    assert refused.status_code in (409, 422), refused.text
    assert refused.json()["field"] == "renews_every"


async def test_a_rolling_service_on_an_order_the_approver_declines_never_renews(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 5))
    limited = await shop.orders.put(
        f"/schools/{ABBOTS_LANGLEY}/approval-policy", json={"every_order": True}, headers=SCHOOL
    )
    assert limited.status_code == 200, limited.text
    payroll = await shop.service(
        title="Payroll bureau", service_type="rolling", category="HR", renews_every="term"
    )
    placed = await shop.buy(payroll["id"], "invoice")
    assert placed["status"] == "awaiting_approval"
    assert (await rolling(shop))["status"] == "active"

    declined = await shop.orders.post(
        f"/orders/{placed['id']}/approval",
        json={"decision": "decline"},
        headers=auth(Role.SCHOOL_APPROVER, ABBOTS_LANGLEY),
    )
    assert declined.status_code == 200, declined.text
    subscription = await rolling(shop)
    assert (subscription["status"], subscription["next_renewal"]) == ("ended", None)
    assert await renew(shop, date(2027, 1, 1)) == []
    assert await shop.outbox("orders.invoice.raised.v1") == []


async def test_a_school_that_cancels_the_order_for_a_rolling_service_is_not_renewed(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 5))
    payroll = await shop.service(
        title="Payroll bureau", service_type="rolling", category="HR", renews_every="term"
    )
    placed = await shop.buy(payroll["id"], "invoice")
    cancelled = await shop.orders.post(
        f"/orders/{placed['id']}/cancel", json={"reason": "bought by mistake"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (await rolling(shop))["status"] == "ended"
    assert await renew(shop, date(2027, 1, 1)) == []


async def test_the_shop_prices_a_rolling_service_for_the_period_the_purchase_pays_for(
    shop: Shop,
) -> None:
    """It read "£450.00 per period": bought in December, the school paid for the autumn term
    it was three weeks from the end of, not a period to come."""
    day = date(2026, 12, 7)
    on_day(shop, day)
    payroll = await shop.payroll_service(notice_days=30)

    async with portal_on(shop, "school", day) as school:
        listing = await school.get("/shop", params={"q": payroll["code"]})
        page = text_of((await school.get(f"/shop/{payroll['id']}")).text)
    bought = await shop.buy(payroll["id"], "invoice")

    shown = "£450.00 per term for 1 September 2026 to 31 December 2026"
    assert listed(listing.text, payroll).startswith(f"Payroll bureau {shown} + VAT")
    assert f"Your price {shown}, before VAT" in page
    (line,) = bought["lines"]
    assert (line["unit_price_pence"], line["term_start"], line["term_end"]) == (
        45_000,
        "2026-09-01",
        "2026-12-31",
    )
