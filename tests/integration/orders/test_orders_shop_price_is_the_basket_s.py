"""The price the shop shows a school is the price its basket charges, for what the shop says it
is for: a subscription's term (a service sold only for next year is bought for next year at
next year's price; one sold by the financial year covers April to March, then renews into the
next financial year), and a course's next session, at that session's prices."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from tests.support.orders_shop import CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY
from tests.support.portal_pages import signed_in_portal, text_of
from tests.support.tariffs import flat


def on_day(shop: Shop, day: date) -> None:
    """The catalogue and orders both on `day`."""
    shop.set_day(day)
    shop.platform.services["catalogue"].clock.set(day)


async def repriced(
    shop: Shop,
    service: dict[str, Any],
    pence: int,
    effective_from: str,
    vat_rate: str = "standard",
) -> None:
    prepared = await shop.platform.catalogue.put(
        f"/services/{service['id']}/prices",
        json={
            "prices": {"maintained": flat(pence)},
            "vat_rate": vat_rate,
            "effective_from": effective_from,
        },
        headers=CATALOGUE_ADMIN,
    )
    assert prepared.status_code == 200, prepared.text


async def price_shown(shop: Shop, service: dict[str, Any]) -> dict[str, Any]:
    shown = await shop.platform.catalogue.get(f"/services/{service['id']}", headers=SCHOOL)
    assert shown.status_code == 200, shown.text
    return dict(shown.json()["price_for_school"])


async def shop_price(shop: Shop, service: dict[str, Any]) -> tuple[int, str, str]:
    """What the shop shows the school: its price for one, and the term that price is for."""
    price = await price_shown(shop, service)
    return price["unit_price_pence"], price["term_start"], price["term_end"]


def charged(basket: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [
        (line["unit_price_pence"], line["term_start"], line["term_end"]) for line in basket["lines"]
    ]


async def test_a_subscription_sold_only_for_next_year_is_bought_in_july_for_next_year_at_its_price(
    shop: Shop,
) -> None:
    on_day(shop, date(2026, 7, 10))
    visits = await shop.service(
        title="Improvement partner visits",
        service_type="subscription",
        category="School improvement",
        unit_price_pence=300_000,
        academic_years=["2026/27"],
    )
    await repriced(shop, visits, 330_000, "2026-09-01")

    shown = await shop_price(shop, visits)
    basket = await shop.add(visits["id"])  # as the shop's button adds it: no year named

    assert shown == (330_000, "2026-09-01", "2027-08-31")
    assert charged(basket) == [shown]


async def test_a_financial_year_subscription_covers_april_to_march_and_renews_into_the_next(
    shop: Shop,
) -> None:
    on_day(shop, date(2027, 1, 10))
    finance = await shop.service(
        title="Finance support SLA",
        service_type="subscription",
        category="Finance",
        unit_price_pence=120_000,
        term="financial_year",
    )
    await repriced(shop, finance, 132_000, "2027-04-01")
    on_day(shop, date(2027, 5, 20))

    shown = await shop_price(shop, finance)
    bought = await shop.buy(finance["id"])

    assert shown == (132_000, "2027-04-01", "2028-03-31")  # 2027-28's list, for 2027-28
    assert charged(bought) == [shown]

    on_day(shop, date(2027, 9, 1))
    await repriced(shop, finance, 138_000, "2028-04-01")
    on_day(shop, date(2028, 6, 1))
    offer = await shop.orders.get(
        f"/renewals/{ABBOTS_LANGLEY}", params={"year": "2028/29"}, headers=SCHOOL
    )
    assert offer.status_code == 200, offer.text
    assert [line["unit_price_pence"] for line in offer.json()["lines"]] == [138_000]
    renewed = await shop.orders.post(
        f"/renewals/{ABBOTS_LANGLEY}",
        params={"year": "2028/29"},
        json={"payment_method": "invoice", "purchase_order": "PO-FY"},
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert renewed.status_code == 201, renewed.text
    assert charged(renewed.json()) == [(138_000, "2028-04-01", "2029-03-31")]


async def test_a_course_is_shown_at_its_next_session_s_price_when_next_year_s_is_set(
    shop: Shop,
) -> None:
    on_day(shop, date(2026, 7, 1))
    course = await shop.service(
        title="Phonics for new teachers",
        service_type="course",
        category="CPD and leadership",
        unit_price_pence=19_500,
    )
    await repriced(shop, course, 22_500, "2026-09-01")
    autumn = await shop.session(course["id"], starts_on="2026-10-15", capacity=20)

    shown = await price_shown(shop, course)
    basket = await shop.add(course["id"], session_id=autumn["id"])

    assert (shown["unit_price_pence"], shown["session_on"]) == (22_500, "2026-10-15")
    assert [line["unit_price_pence"] for line in basket["lines"]] == [22_500]


async def test_a_bundle_of_subscriptions_is_bought_and_renewed_for_their_term(shop: Shop) -> None:
    on_day(shop, date(2026, 7, 10))
    parts = [
        await shop.service(
            title=title, service_type="subscription", category="Governance", unit_price_pence=pence
        )
        for title, pence in (("Clerking", 100_000), ("Governor training", 50_000))
    ]
    package = await shop.service(
        title="Governance package",
        service_type="bundle",
        components=[part["id"] for part in parts],
        discount_percent=10,
    )

    shown = await shop_price(shop, package)
    bought = await shop.buy(package["id"])

    assert shown == (135_000, "2025-09-01", "2026-08-31")  # the year under way, at its prices
    assert charged(bought) == [shown]
    on_day(shop, date(2026, 8, 1))
    for part in parts:  # 2026/27's lists, at 2025/26's prices: the bundle is sold for 2026/27
        await shop.keep_prices_from(part["id"], "2026-09-01")
    offer = await shop.orders.get(
        f"/renewals/{ABBOTS_LANGLEY}", params={"year": "2026/27"}, headers=SCHOOL
    )
    assert [(line["service_id"], line["unit_price_pence"]) for line in offer.json()["lines"]] == [
        (package["id"], 135_000)
    ]


async def shop_pages(shop: Shop, service: dict[str, Any]) -> tuple[str, str]:
    """What the school reads of the service in the portal's shop: its entry in the listing,
    and its own page."""
    async with signed_in_portal(shop.platform, "school") as school:
        listing = await school.get("/shop", params={"q": service["code"]})
        page = await school.get(f"/shop/{service['id']}")
    assert (listing.status_code, page.status_code) == (200, 200)
    return text_of(listing.text), text_of(page.text)


def vat_charged(basket: dict[str, Any]) -> list[tuple[int, str, int]]:
    return [
        (line["unit_price_pence"], line["vat_rate"], line["gross_pence"])
        for line in basket["lines"]
    ]


async def test_a_course_shows_the_vat_of_its_next_session_s_price_list_which_the_basket_charges(
    shop: Shop,
) -> None:
    on_day(shop, date(2026, 10, 1))
    course = await shop.service(
        title="Phonics for new teachers",
        service_type="course",
        category="CPD and leadership",
        unit_price_pence=10_000,
        vat_rate="exempt",
    )
    await repriced(shop, course, 12_000, "2026-11-01", vat_rate="standard")
    november = await shop.session(course["id"], starts_on="2026-11-09", capacity=20)

    shown = await price_shown(shop, course)
    listing, page = await shop_pages(shop, course)
    basket = await shop.add(course["id"], session_id=november["id"])

    assert (shown["unit_price_pence"], shown["vat_rate"]) == (12_000, "standard")
    assert vat_charged(basket) == [(12_000, "standard", 14_400)]
    said = "£120.00 per delegate on the next session, 9 November 2026"
    assert f"{said} + VAT" in listing
    assert f"Your price {said}, before VAT" in page
    assert "VAT Standard rate (20%)" in page


async def test_a_subscription_sold_at_next_year_s_list_shows_that_list_s_vat(shop: Shop) -> None:
    on_day(shop, date(2026, 7, 10))
    visits = await shop.service(
        title="Improvement partner visits",
        service_type="subscription",
        category="School improvement",
        unit_price_pence=300_000,
        vat_rate="standard",
        academic_years=["2026/27"],
    )
    await repriced(shop, visits, 330_000, "2026-09-01", vat_rate="exempt")

    shown = await price_shown(shop, visits)
    listing, page = await shop_pages(shop, visits)
    basket = await shop.add(visits["id"])

    assert (shown["unit_price_pence"], shown["vat_rate"]) == (330_000, "exempt")
    assert vat_charged(basket) == [(330_000, "exempt", 330_000)]
    assert "£3,300.00 per year for 1 September 2026 to 31 August 2027 (VAT exempt)" in listing
    assert "VAT Exempt" in page
