"""A school business manager in the spring buys next September's subscription in the portal's
shop: shopping for next academic year shows that year's price list price, VAT and term, the
basket and checkout charge exactly that; a service with no price for next year yet says so and
cannot be added for it; and only this academic year and the next are sold for. The portal,
orders and the catalogue run in this process on their own databases, with NATS JetStream."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from services.seed.demo_trust import DEMO_TRUST_CODE
from shared.auth import Role
from tests.integration.orders.test_orders_shop_price_is_the_basket_s import on_day, repriced
from tests.support.orders_shop import SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, auth
from tests.support.portal_pages import (
    PortalVisitor,
    error_summary_links,
    signed_in_portal,
    text_of,
)

SPRING = date(2027, 3, 10)  # in 2026/27: next academic year is 2027/28
SANDRINGHAM = 136609  # an academy of the demo trust
TRUST = auth(Role.TRUST_BUYER, trust=DEMO_TRUST_CODE)


@asynccontextmanager
async def portal_on(shop: Shop, user: str, day: date) -> AsyncIterator[PortalVisitor]:
    """The portal signed in as a demo user, on the day orders and the catalogue are on."""
    async with signed_in_portal(shop.platform, user) as visitor:
        visitor.app.state.clock.set(day)
        yield visitor


async def subscription(shop: Shop, **overrides: Any) -> dict[str, Any]:
    """Data support sold by the academic year, £3,000 a year plus VAT on this year's list."""
    return await shop.service(
        **{
            "title": "Data support",
            "service_type": "subscription",
            "category": "Data",
            "unit_price_pence": 300_000,
            "vat_rate": "standard",
            **overrides,
        }
    )


def listed(page: str, service: dict[str, Any]) -> str:
    """The words beside one service in a shop listing."""
    items = re.findall(r'<li class="govuk-!-margin-bottom-6">(.*?)</li>', page, re.S)
    (item,) = [item for item in items if service["id"] in item]
    return text_of(item)


async def test_next_year_s_price_shown_in_the_shop_is_what_the_basket_and_checkout_charge(
    shop: Shop,
) -> None:
    on_day(shop, SPRING)
    data = await subscription(shop)
    await repriced(shop, data, 330_000, "2027-09-01", vat_rate="exempt")  # 2027/28's list

    async with portal_on(shop, "school", SPRING) as school:
        this_year = await school.get("/shop", params={"q": data["code"]})
        next_year = await school.get("/shop", params={"q": data["code"], "year": "2027/28"})
        page = await school.get(f"/shop/{data['id']}", params={"year": "2027/28"})
        added = await school.post(
            f"/shop/{data['id']}/basket", data={"quantity": "2", "academic_year": "2027/28"}
        )
        basket = text_of((await school.get("/basket")).text)
        placed = await school.post(
            "/basket/checkout", data={"payment_method": "invoice", "purchase_order": "PO-2728"}
        )

    assert listed(this_year.text, data).startswith(
        "Data support £3,000.00 per year for 1 September 2026 to 31 August 2027 + VAT"
    )
    assert listed(next_year.text, data).startswith(
        "Data support £3,300.00 per year for 1 September 2027 to 31 August 2028 (VAT exempt)"
    )
    assert f'href="/shop/{data["id"]}?year=2027/28"' in next_year.text
    said = text_of(page.text)
    assert (
        "Your price £3,300.00 per year for 1 September 2027 to 31 August 2028, before VAT" in said
    )
    assert "Academic year 2027/28" in said and "VAT Exempt" in said
    assert "It goes into the basket for 2027/28: 1 September 2027 to 31 August 2028" in said
    assert "Or order it now, by invoice" not in said  # that buys as of today, for this year
    assert (added.status_code, added.headers.get("location")) == (303, "/basket"), added.text
    assert "1 September 2027 to 31 August 2028" in basket and "£6,600.00" in basket
    assert placed.status_code == 303, text_of(placed.text)[:500]

    order_id = placed.headers["location"].removeprefix("/orders/")
    order = (await shop.orders.get(f"/orders/{order_id}", headers=SCHOOL)).json()
    (line,) = order["lines"]
    assert (line["unit_price_pence"], line["vat_rate"], line["term_start"], line["term_end"]) == (
        330_000,
        "exempt",
        "2027-09-01",
        "2028-08-31",
    )
    assert (order["net_pence"], order["vat_pence"], order["gross_pence"]) == (660_000, 0, 660_000)


async def test_a_service_with_no_price_for_next_year_yet_says_so_and_cannot_be_added_for_it(
    shop: Shop,
) -> None:
    on_day(shop, SPRING)
    data = await subscription(shop)  # this year's list only
    no_price = "Data support has no price for 2027/28 yet"

    async with portal_on(shop, "school", SPRING) as school:
        next_year = await school.get("/shop", params={"q": data["code"], "year": "2027/28"})
        page = await school.get(f"/shop/{data['id']}", params={"year": "2027/28"})
        forced = await school.post(
            f"/shop/{data['id']}/basket", data={"quantity": "1", "academic_year": "2027/28"}
        )
        this_year = await school.get(f"/shop/{data['id']}", params={"year": "2026/27"})
    by_api = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/lines",
        json={"service_id": data["id"], "quantity": 1, "academic_year": "2027/28"},
        headers=SCHOOL,
    )

    shown = listed(next_year.text, data)
    assert shown.startswith(f"Data support Not for sale for 2027/28: {no_price}")
    assert "£" not in shown
    said = text_of(page.text)
    assert f"Your price Not for sale for 2027/28: {no_price}" in said
    assert "It cannot be added to a basket for 2027/28" in said
    assert "Add to basket" not in said and 'name="academic_year"' not in page.text
    assert forced.status_code == 422
    assert error_summary_links(forced.text)["academic_year"].startswith(
        f"The catalogue refused: {no_price}"
    )
    assert by_api.status_code == 422, by_api.text
    assert by_api.json()["field"] == "academic_year"
    assert no_price in by_api.json()["detail"]
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert basket.json()["lines"] == []
    # this year it is on sale as before, at this year's list
    assert "Your price £3,000.00 per year for 1 September 2026 to 31 August 2027" in text_of(
        this_year.text
    )


async def test_only_this_academic_year_and_the_next_are_sold_for(shop: Shop) -> None:
    on_day(shop, SPRING)
    data = await subscription(shop)
    await repriced(shop, data, 330_000, "2027-09-01")

    async with portal_on(shop, "school", SPRING) as school:
        listing = await school.get("/shop", params={"year": "2028/29"})
        page = await school.get(f"/shop/{data['id']}", params={"year": "2025/26"})
        forced = await school.post(
            f"/shop/{data['id']}/basket", data={"quantity": "1", "academic_year": "2028/29"}
        )
    by_api = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/lines",
        json={"service_id": data["id"], "quantity": 1, "academic_year": "2028/29"},
        headers=SCHOOL,
    )
    quoted = await shop.platform.catalogue.post(
        "/quotes",
        json={
            "service_id": data["id"],
            "urn": ABBOTS_LANGLEY,
            "quantity": 1,
            "academic_year": "2028/29",
        },
        headers=SCHOOL,
    )

    select = "Select the academic year 2026/27 or 2027/28"
    assert (listing.status_code, error_summary_links(listing.text)) == (422, {"year": select})
    assert (page.status_code, error_summary_links(page.text)) == (422, {"academic_year": select})
    assert (forced.status_code, error_summary_links(forced.text)) == (
        422,
        {"academic_year": select},
    )
    assert by_api.status_code == 422, by_api.text
    assert by_api.json() == {
        "detail": "subscriptions are sold for 2026/27 or 2027/28, not 2028/29",
        "field": "academic_year",
    }
    assert quoted.status_code == 422, quoted.text
    assert quoted.json()["field"] == "academic_year"
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert basket.json()["lines"] == []


async def test_the_trust_buyer_s_shop_sells_for_next_year_the_same_way(shop: Shop) -> None:
    on_day(shop, SPRING)
    await shop.demo_trust_discount(10)
    priced, unpriced = await subscription(shop), await subscription(shop, title="HR support")
    await repriced(shop, priced, 330_000, "2027-09-01")

    async with portal_on(shop, "trust-buyer", SPRING) as buyer:
        listing = await buyer.get("/shop", params={"year": "2027/28"})
        page = await buyer.get(f"/shop/{unpriced['id']}", params={"year": "2027/28"})
        added = await buyer.post(
            f"/shop/{priced['id']}/basket",
            data={"quantity": "1", "academic_year": "2027/28", "school_urn": str(SANDRINGHAM)},
        )
        forced = await buyer.post(
            f"/shop/{unpriced['id']}/basket",
            data={"quantity": "1", "academic_year": "2027/28", "school_urn": str(SANDRINGHAM)},
        )

    assert listed(listing.text, priced).startswith(
        "Data support Each school's own price for 1 September 2027 to 31 August 2028, "
        "less the trust's discount"
    )
    assert listed(listing.text, unpriced).startswith(
        "HR support Not for sale for 2027/28: HR support has no price for 2027/28 yet"
    )
    assert "It cannot be added to a basket for 2027/28" in text_of(page.text)
    assert (added.status_code, added.headers.get("location")) == (303, "/trust/basket")
    assert forced.status_code == 422
    assert list(error_summary_links(forced.text)) == ["academic_year"]
    basket = await shop.orders.get(f"/trusts/{DEMO_TRUST_CODE}/basket", headers=TRUST)
    assert basket.status_code == 200, basket.text
    lines = [line for school in basket.json()["schools"] for line in school["basket"]["lines"]]
    assert [(line["unit_price_pence"], line["term_start"]) for line in lines] == [
        (297_000, "2027-09-01")  # next year's £3,300 less the trust's 10%
    ]


async def test_the_order_page_says_the_term_each_subscription_was_bought_for(shop: Shop) -> None:
    """It named the service alone: an order for next year read like one for this year."""
    on_day(shop, SPRING)
    data = await subscription(shop)
    await repriced(shop, data, 330_000, "2027-09-01")

    async with portal_on(shop, "school", SPRING) as school:
        await school.post(
            f"/shop/{data['id']}/basket", data={"quantity": "1", "academic_year": "2027/28"}
        )
        placed = await school.post(
            "/basket/checkout", data={"payment_method": "invoice", "purchase_order": "PO-2728"}
        )
        assert placed.status_code == 303, text_of(placed.text)[:500]
        page = text_of((await school.get(placed.headers["location"])).text)

    assert "Data support 1 September 2027 to 31 August 2028" in page


async def test_the_trust_s_buyer_reads_each_school_s_price_on_the_service_s_page(
    shop: Shop,
) -> None:
    """The listing said a service's page shows each school's price for the school picked; the
    page showed none, and the buyer learnt the price only once it was in the trust's basket."""
    on_day(shop, SPRING)
    await shop.demo_trust_discount(10)
    data = await subscription(shop)

    async with portal_on(shop, "trust-buyer", SPRING) as trust:
        page = text_of((await trust.get(f"/shop/{data['id']}")).text)
        added = await trust.post(
            f"/shop/{data['id']}/basket", data={"quantity": "1", "school_urn": str(SANDRINGHAM)}
        )
    assert added.status_code == 303, text_of(added.text)[:500]

    term = "per year for 1 September 2026 to 31 August 2027, before VAT"
    assert f"Sandringham School: £2,700.00 {term}" in page
    assert "less 10% on Demo Academy Trust (made up)'s price list" in page
    basket = await shop.orders.get(f"/trusts/{DEMO_TRUST_CODE}/basket", headers=TRUST)
    charged = [
        (found["urn"], line["unit_price_pence"])
        for found in basket.json()["schools"]
        for line in found["basket"]["lines"]
    ]
    assert charged == [(SANDRINGHAM, 270_000)]
