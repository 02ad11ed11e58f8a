"""The buy-back in the portal, in the spring: a school (and a trust's buyer, for what the trust
bought for its schools) renews last year's subscriptions for next year at the prices the
shop's view of next year shows, and the renewal charges exactly what its page shows; one whose
price list for next year is not set yet is named, not renewed now, and renewed once it is. The
portal, orders and the catalogue run in this process on their own databases, with NATS."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx

from services.seed.demo_trust import DEMO_TRUST_CODE
from tests.integration.orders.test_orders_shop_for_next_year import (
    SANDRINGHAM,
    SPRING,
    TRUST,
    listed,
    portal_on,
    subscription,
)
from tests.integration.orders.test_orders_shop_price_is_the_basket_s import on_day, repriced
from tests.integration.orders.test_trust_orders import check_out_trust
from tests.support.orders_shop import Shop
from tests.support.portal_pages import text_of

LAST_AUTUMN = date(2026, 10, 1)  # in 2026/27, renewed into 2027/28 from 2 March 2027
NOT_YET_PRICED = "HR support has no price for 2027/28 yet: renew it when its price is published"


def renewal_rows(page: str) -> list[tuple[str, ...]]:
    """Each line of the renewal page's tables: service, quantity and price each."""
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [tuple(text_of(cell) for cell in found) for found in cells if found]


async def bought_last_year(shop: Shop, urn_lines: list[tuple[int, dict[str, Any]]]) -> None:
    for urn, service in urn_lines:
        added = await shop.orders.post(
            f"/baskets/{urn}/lines",
            json={"service_id": service["id"], "quantity": 1, "academic_year": "2026/27"},
            headers=TRUST,
        )
        assert added.status_code == 201, added.text


async def test_the_renewal_page_prices_next_year_as_the_shop_does_and_charges_what_it_shows(
    shop: Shop,
) -> None:
    on_day(shop, LAST_AUTUMN)
    priced = await subscription(shop)  # £3,000 this year
    unpriced = await subscription(shop, title="HR support", unit_price_pence=120_000)
    for service in (priced, unpriced):
        await shop.add(service["id"], academic_year="2026/27")
    assert (await shop.checkout("invoice")).status_code == 201
    await repriced(shop, priced, 330_000, "2027-09-01", vat_rate="exempt")  # 2027/28's list

    on_day(shop, SPRING)
    async with portal_on(shop, "school", SPRING) as school:
        in_the_shop = await school.get("/shop", params={"year": "2027/28"})
        page = await school.get("/renewal", params={"year": "2027/28"})
        key = re.findall(r'name="key" value="([^"]+)"', page.text)[0]
        renewed = await school.post(
            "/renewal",
            data={
                "year": "2027/28",
                "payment_method": "invoice",
                "purchase_order": "PO-R2728",
                "key": key,
            },
        )
        after = text_of((await school.get("/renewal", params={"year": "2027/28"})).text)

    assert listed(in_the_shop.text, priced).startswith("Data support £3,300.00 per year")
    assert listed(in_the_shop.text, unpriced).startswith(
        "HR support Not for sale for 2027/28: HR support has no price for 2027/28 yet"
    )
    assert renewal_rows(page.text) == [("Data support", "1", "£3,300.00")]
    said = text_of(page.text)
    assert f"Not yet priced for 2027/28, so not renewed now: {NOT_YET_PRICED}" in said
    assert "No longer sold" not in said
    assert (renewed.status_code, renewed.headers.get("location", "")[:8]) == (303, "/orders/"), (
        text_of(renewed.text)[:500]
    )
    order_id = renewed.headers["location"].removeprefix("/orders/")
    order = await shop.order(order_id)
    assert [
        (line["title"], line["quantity"], line["unit_price_pence"], line["term_start"])
        for line in order["lines"]
    ] == [("Data support", 1, 330_000, "2027-09-01")]
    assert (order["net_pence"], order["vat_pence"]) == (330_000, 0)  # next year's list: exempt
    assert "There is nothing your school subscribed to last year that you can renew" in after
    assert f"Not yet priced for 2027/28, so not renewed now: {NOT_YET_PRICED}" in after
    assert "Renew all in one step" not in after


async def test_the_trust_s_renewal_page_names_a_school_s_line_not_yet_priced_and_invoices_the_rest(
    shop: Shop,
) -> None:
    on_day(shop, LAST_AUTUMN)
    priced = await subscription(shop)
    unpriced = await subscription(shop, title="HR support", unit_price_pence=120_000)
    await bought_last_year(shop, [(SANDRINGHAM, priced), (SANDRINGHAM, unpriced)])
    assert (await check_out_trust(shop)).status_code == 201
    await repriced(shop, priced, 330_000, "2027-09-01")  # 2027/28's list

    on_day(shop, SPRING)
    async with portal_on(shop, "trust-buyer", SPRING) as buyer:
        page = await buyer.get("/trust/renewal", params={"year": "2027/28"})
        key = re.findall(r'name="key" value="([^"]+)"', page.text)[0]
        renewed: httpx.Response = await buyer.post(
            "/trust/renewal",
            data={"year": "2027/28", "purchase_order": "MAT-PO-2728", "key": key},
        )
        after = text_of((await buyer.get("/trust/renewal", params={"year": "2027/28"})).text)

    said = text_of(page.text)
    assert renewal_rows(page.text) == [("Data support", "1", "£3,300.00")]
    assert "Sandringham School, URN 136609" in said
    assert (
        f"Not yet priced for 2027/28, so not renewed now for Sandringham School: {NOT_YET_PRICED}"
    ) in said
    assert "The trust's invoice £3,300.00 + VAT £660.00 = £3,960.00" in said
    assert renewed.status_code == 303, text_of(renewed.text)[:500]
    order_id = renewed.headers["location"].removeprefix("/orders/")
    order = await shop.order(order_id)
    assert order["trust_code"] == DEMO_TRUST_CODE
    assert [(line["title"], line["unit_price_pence"]) for line in order["lines"]] == [
        ("Data support", 330_000)
    ]
    assert (order["net_pence"], order["vat_pence"], order["gross_pence"]) == (
        330_000,
        66_000,
        396_000,
    )
    assert "There is nothing the trust bought for its schools last year that it can renew" in after
    assert NOT_YET_PRICED in after
    assert "Renew all for the trust" not in after


async def test_the_school_s_renewal_page_says_what_renewing_charges_with_its_vat(
    shop: Shop,
) -> None:
    """It showed each price before VAT and no total: renewing by card took 20% more than any
    figure on the page."""
    on_day(shop, LAST_AUTUMN)
    data = await subscription(shop)  # £3,000 this year, standard-rated
    await shop.add(data["id"], academic_year="2026/27")
    assert (await shop.checkout("invoice")).status_code == 201
    await repriced(shop, data, 330_000, "2027-09-01")  # 2027/28's list

    on_day(shop, SPRING)
    async with portal_on(shop, "school", SPRING) as school:
        page = await school.get("/renewal", params={"year": "2027/28"})
        key = re.findall(r'name="key" value="([^"]+)"', page.text)[0]
        renewed = await school.post(
            "/renewal",
            data={"year": "2027/28", "payment_method": "card", "key": key},
        )

    assert "Renewing charges £3,300.00 + VAT £660.00 = £3,960.00" in text_of(page.text)
    assert renewed.status_code == 303, text_of(renewed.text)[:500]
    order_id = renewed.headers["location"].removeprefix("/orders/").removesuffix("/pay")
    order = await shop.order(order_id)
    assert order["gross_pence"] == 396_000
