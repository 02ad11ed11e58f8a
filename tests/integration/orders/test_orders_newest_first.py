"""Orders placed on the same day are listed newest first by the moment each was placed — the
school's, the trust's and finance's lists, in the orders API and on the portal's orders page —
not in the order of their random ids."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from shared.clock import start_of
from tests.integration.orders.test_trust_orders import SANDRINGHAM, TRUST, add_for, check_out_trust
from tests.support.orders_shop import FINANCE, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY
from tests.support.portal_pages import signed_in_portal

MORNING = start_of(date(2026, 10, 1)) + timedelta(hours=8)  # 08:00 in England (BST): 07:00 UTC
# who placed each order, one every twenty minutes through the morning: the school, or its trust
PLACED_BY = ["school", "trust", "school", "school", "trust", "school", "trust", "school"]


async def listed(shop: Shop, headers: dict[str, str], **params: Any) -> list[str]:
    answer = await shop.orders.get("/orders", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return [order["id"] for order in answer.json()]


async def place(shop: Shop, service_id: str, by: str) -> str:
    if by == "school":
        return str((await shop.buy(service_id))["id"])
    assert (await add_for(shop, SANDRINGHAM, service_id)).status_code == 201
    placed = await check_out_trust(shop)
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


async def listed_on_portal(shop: Shop, user: str) -> list[str]:
    async with signed_in_portal(shop.platform, user) as visitor:
        page = (await visitor.get("/orders")).text
    return re.findall(r'<a class="govuk-link" href="/orders/([0-9a-f-]{36})"', page)


async def test_orders_placed_through_one_morning_are_listed_newest_first_by_the_time_placed(
    shop: Shop,
) -> None:
    shop.set_day(MORNING)
    review = await shop.service()
    placed = []
    for n, by in enumerate(PLACED_BY):
        shop.set_day(MORNING + timedelta(minutes=20 * n))
        placed.append((await place(shop, review["id"], by), by))
    newest_first = [order for order, _ in reversed(placed)]
    schools = [order for order, by in reversed(placed) if by == "school"]
    trusts = [order for order, by in reversed(placed) if by == "trust"]

    assert await listed(shop, SCHOOL) == schools
    assert await listed(shop, TRUST) == trusts
    assert await listed(shop, FINANCE) == newest_first
    assert await listed(shop, FINANCE, urn=ABBOTS_LANGLEY) == schools
    first = (await shop.orders.get(f"/orders/{placed[0][0]}", headers=FINANCE)).json()
    assert (first["placed_on"], first["placed_at"]) == ("2026-10-01", "2026-10-01T07:00:00Z")
    assert await listed_on_portal(shop, "school") == schools
    assert await listed_on_portal(shop, "trust-buyer") == trusts
    assert await listed_on_portal(shop, "finance") == newest_first
