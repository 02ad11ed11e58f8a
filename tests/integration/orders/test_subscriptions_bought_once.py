"""A subscription bought for a school for an academic year, by the school itself or by a trust
for it, is not bought for that school and year again through the shop: adding it to a basket
is refused naming `service_id`, a checkout holding it naming its line, and of checkouts at the
same moment only one buys it; the shop shows it as already bought. A cancelled order, or one
refunded in full, bought nothing. More of anything else may be bought at any time."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx

from services.seed.demo_trust import DEMO_TRUST_CODE, DEMO_TRUST_NAME
from shared.auth import Role
from tests.integration.orders.test_orders_shop_for_next_year import portal_on
from tests.integration.orders.test_trust_orders import (
    FLEETVILLE_JUNIOR,
    SANDRINGHAM,
    TRUST,
    add_for,
    check_out_trust,
)
from tests.support.orders_shop import FINANCE, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, auth
from tests.support.portal_pages import text_of

SANDRINGHAM_SCHOOL = auth(Role.SCHOOL, SANDRINGHAM)
THIS_YEAR = "2026/27"


async def hr_advice(shop: Shop) -> str:
    """HR advice sold by the academic year, shopped for on 1 October 2026; its id."""
    shop.set_day(date(2026, 10, 1))
    hr = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=90_000
    )
    return str(hr["id"])


async def add(shop: Shop, urn: int, service_id: str, headers: dict[str, str]) -> httpx.Response:
    return await shop.orders.post(
        f"/baskets/{urn}/lines",
        json={"service_id": service_id, "quantity": 1, "academic_year": THIS_YEAR},
        headers=headers,
    )


async def order_at_once(shop: Shop, urn: int, service_id: str) -> httpx.Response:
    """`POST /orders`: the service bought as of today, by invoice, with no basket."""
    return await shop.orders.post(
        "/orders",
        json={
            "urn": urn,
            "lines": [{"service_id": service_id, "quantity": 1}],
            "payment_method": "invoice",
            "purchase_order": "PO-AT-ONCE",
        },
        headers=auth(Role.SCHOOL, urn),
    )


async def bought_by_school(shop: Shop, urn: int, service_id: str) -> str:
    """The school buys the year's subscription itself, through its basket; the order's id."""
    await shop.add(service_id, urn=urn, academic_year=THIS_YEAR)
    placed = await shop.checkout(urn=urn)
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


def refused(answer: httpx.Response) -> tuple[int, str, str]:
    return answer.status_code, answer.json()["field"], answer.json()["detail"]


async def orders_of(shop: Shop, service_id: str, urn: int) -> list[str]:
    """The ids of the orders with a line of the service for the school, whoever placed them."""
    listed = await shop.orders.get("/orders", params={"urn": urn}, headers=FINANCE)
    return [
        order["id"]
        for order in listed.json()
        if any(
            line["service_id"] == service_id and (line["school_urn"] or order["urn"]) == urn
            for line in order["lines"]
        )
    ]


async def test_a_school_does_not_buy_a_subscription_twice_for_the_year(shop: Shop) -> None:
    hr = await hr_advice(shop)
    await shop.add(hr, academic_year=THIS_YEAR)  # in the basket before it is bought otherwise
    first = await order_at_once(shop, ABBOTS_LANGLEY, hr)
    assert first.status_code == 201, first.text
    said = (
        f"HR advice line is already bought for Abbots Langley School for {THIS_YEAR} "
        f"(order {first.json()['id']}, by the school itself)"
    )

    assert refused(await add(shop, ABBOTS_LANGLEY, hr, SCHOOL)) == (409, "service_id", said)
    assert refused(await order_at_once(shop, ABBOTS_LANGLEY, hr)) == (
        409,
        "lines.0.service_id",
        said,
    )
    assert refused(await shop.checkout()) == (409, "lines.0.service_id", said)
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert [line["service_id"] for line in basket.json()["lines"]] == [hr]  # left as it was
    assert await orders_of(shop, hr, ABBOTS_LANGLEY) == [first.json()["id"]]

    await shop.keep_prices_from(hr, "2027-09-01")
    await shop.add(hr, academic_year="2027/28")  # next year's is another year's
    review = (await shop.service())["id"]  # a consultancy day: as many as the school wants
    for _ in range(2):
        assert (await order_at_once(shop, ABBOTS_LANGLEY, review)).status_code == 201


async def test_a_trust_does_not_buy_for_its_school_what_the_school_bought_for_the_year(
    shop: Shop,
) -> None:
    hr = await hr_advice(shop)
    review = (await shop.service())["id"]
    assert (await add_for(shop, FLEETVILLE_JUNIOR, review)).status_code == 201
    assert (await add(shop, SANDRINGHAM, hr, TRUST)).status_code == 201
    bought = await bought_by_school(shop, SANDRINGHAM, hr)
    said = (
        f"HR advice line is already bought for Sandringham School for {THIS_YEAR} "
        f"(order {bought}, by the school itself)"
    )

    assert refused(await add(shop, SANDRINGHAM, hr, TRUST)) == (409, "service_id", said)
    # Fleetville Junior's consultancy day is the trust's order's first line, Sandringham's second
    assert refused(await check_out_trust(shop)) == (409, "lines.1.service_id", said)
    basket = await shop.orders.get(f"/trusts/{DEMO_TRUST_CODE}/basket", headers=TRUST)
    kept = {school["urn"]: len(school["basket"]["lines"]) for school in basket.json()["schools"]}
    assert (kept[FLEETVILLE_JUNIOR], kept[SANDRINGHAM]) == (1, 1)
    assert await orders_of(shop, hr, SANDRINGHAM) == [bought]
    assert await orders_of(shop, review, FLEETVILLE_JUNIOR) == []


async def test_a_school_does_not_buy_what_its_trust_bought_for_it_for_the_year(
    shop: Shop,
) -> None:
    hr = await hr_advice(shop)
    await shop.add(hr, urn=SANDRINGHAM, academic_year=THIS_YEAR)
    assert (await add(shop, SANDRINGHAM, hr, TRUST)).status_code == 201
    trusts = await check_out_trust(shop)
    assert trusts.status_code == 201, trusts.text
    said = (
        f"HR advice line is already bought for Sandringham School for {THIS_YEAR} "
        f"(order {trusts.json()['id']}, by {DEMO_TRUST_NAME})"
    )

    assert refused(await add(shop, SANDRINGHAM, hr, SANDRINGHAM_SCHOOL)) == (
        409,
        "service_id",
        said,
    )
    assert refused(await shop.checkout(urn=SANDRINGHAM)) == (409, "lines.0.service_id", said)
    assert refused(await order_at_once(shop, SANDRINGHAM, hr)) == (409, "lines.0.service_id", said)
    assert (await add(shop, FLEETVILLE_JUNIOR, hr, TRUST)).status_code == 201  # another school


async def test_a_subscription_cancelled_or_refunded_in_full_may_be_bought_again(
    shop: Shop,
) -> None:
    hr = await hr_advice(shop)
    first = await shop.buy(hr, academic_year=THIS_YEAR)
    cancelled = await shop.orders.post(
        f"/orders/{first['id']}/cancel", json={"reason": "bought in error"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text

    by_card = await shop.paid_by_card(hr, academic_year=THIS_YEAR)
    assert (await add(shop, ABBOTS_LANGLEY, hr, SCHOOL)).status_code == 409
    refunded = await shop.orders.post(
        f"/orders/{by_card['id']}/refunds",
        json={"amount_pence": by_card["gross_pence"], "reason": "paid for twice"},
        headers=FINANCE,
    )
    assert refunded.json()["payment_status"] == "refunded", refunded.text

    assert (await add(shop, ABBOTS_LANGLEY, hr, SCHOOL)).status_code == 201
    again = await shop.checkout()
    assert again.status_code == 201, again.text


async def test_of_checkouts_at_the_same_moment_only_one_buys_the_subscription(
    shop: Shop,
) -> None:
    """Each checkout reads the school's orders only once it holds the school's lock, as the
    renewals do: the school's basket, the trust's basket for it and an order straight from the
    shop, sent together, buy the year's HR advice once."""
    hr = await hr_advice(shop)
    await shop.add(hr, urn=SANDRINGHAM, academic_year=THIS_YEAR)
    assert (await add(shop, SANDRINGHAM, hr, TRUST)).status_code == 201

    answers = await asyncio.gather(
        shop.checkout(urn=SANDRINGHAM),
        check_out_trust(shop),
        order_at_once(shop, SANDRINGHAM, hr),
    )

    assert sorted(answer.status_code for answer in answers) == [201, 409, 409], [
        answer.text for answer in answers
    ]
    [bought] = [answer.json()["id"] for answer in answers if answer.status_code == 201]
    assert await orders_of(shop, hr, SANDRINGHAM) == [bought]


async def test_the_shop_shows_a_subscription_bought_for_the_year_as_bought(shop: Shop) -> None:
    """To the school, in place of its price and its Add button; to the trust's buyer, for that
    school, which it can no longer pick."""
    hr = await hr_advice(shop)
    bought = await bought_by_school(shop, SANDRINGHAM, hr)
    found = await shop.orders.get(f"/schools/{SANDRINGHAM}/bought", headers=SANDRINGHAM_SCHOOL)
    assert [(row["service_id"], row["academic_year"], row["order_id"]) for row in found.json()] == [
        (hr, THIS_YEAR, bought)
    ]
    day = date(2026, 10, 1)

    async with portal_on(shop, "school-academy", day) as school:
        for asked in ({"year": THIS_YEAR}, {}):  # for the year, or as bought today
            page = text_of((await school.get(f"/shop/{hr}", params=asked)).text)
            assert f"Already bought for {THIS_YEAR} by your school: see the order" in page, page
            assert "Add to basket" not in page and "Place order" not in page
        listing = text_of((await school.get("/shop", params={"year": THIS_YEAR})).text)
        assert f"HR advice line Already bought for {THIS_YEAR}" in listing
    async with portal_on(shop, "trust-buyer", day) as buyer:
        page = text_of((await buyer.get(f"/shop/{hr}", params={"year": THIS_YEAR})).text)
        assert (
            f"Already bought for {THIS_YEAR} for Sandringham School, by the school itself" in page
        )
        assert "Add to basket" in page  # for the trust's other schools
        picked = await buyer.post(
            f"/shop/{hr}/basket",
            data={"quantity": "1", "school_urn": str(SANDRINGHAM), "academic_year": THIS_YEAR},
        )
        assert picked.status_code == 422, picked.text
        assert "already bought for Sandringham School" in text_of(picked.text)


async def test_a_basket_line_bought_elsewhere_since_it_was_added_is_shown_as_bought(
    shop: Shop,
) -> None:
    """The school's basket, and the trust's, each hold the year's HR advice for Sandringham;
    then the school buys it straight from the shop. Both baskets say that line is already
    bought, by whom, and that it must be removed to check out (the checkout refuses it)."""
    hr = await hr_advice(shop)
    await shop.add(hr, urn=SANDRINGHAM, academic_year=THIS_YEAR)
    assert (await add(shop, SANDRINGHAM, hr, TRUST)).status_code == 201
    day = date(2026, 10, 1)
    async with portal_on(shop, "school-academy", day) as school:
        before = text_of((await school.get("/basket")).text)
    assert "Already bought" not in before

    assert (await order_at_once(shop, SANDRINGHAM, hr)).status_code == 201

    async with portal_on(shop, "school-academy", day) as school:
        page = text_of((await school.get("/basket")).text)
    assert (
        f"HR advice line Already bought for {THIS_YEAR} by your school: remove it to check out"
        in page
    ), page
    async with portal_on(shop, "trust-buyer", day) as buyer:
        page = text_of((await buyer.get("/trust/basket")).text)
    assert (
        f"HR advice line Already bought for {THIS_YEAR} by the school itself: "
        "remove it to check out" in page
    ), page


async def test_a_subscription_on_an_unpaid_card_order_is_said_to_await_its_payment(
    shop: Shop,
) -> None:
    """A card checkout whose payment the school has not made holds the year's HR advice for
    it (so no one else buys it meanwhile), but it is not called bought: the refusal and the
    shop say the order awaits its card payment, to be paid for or cancelled."""
    hr = await hr_advice(shop)
    await shop.add(hr, urn=SANDRINGHAM, academic_year=THIS_YEAR)
    by_card = await shop.checkout("card", urn=SANDRINGHAM)
    assert by_card.status_code == 201, by_card.text
    order_id = by_card.json()["id"]

    again = await order_at_once(shop, SANDRINGHAM, hr)

    assert refused(again) == (
        409,
        "lines.0.service_id",
        f"HR advice line is already ordered for Sandringham School for {THIS_YEAR} "
        f"(order {order_id}, by the school itself), awaiting its card payment: "
        "pay for that order or cancel it",
    )
    found = await shop.orders.get(f"/schools/{SANDRINGHAM}/bought", headers=SANDRINGHAM_SCHOOL)
    assert [(row["order_id"], row["awaiting"]) for row in found.json()] == [
        (order_id, "its card payment")
    ]
    async with portal_on(shop, "school-academy", date(2026, 10, 1)) as school:
        page = text_of((await school.get(f"/shop/{hr}", params={"year": THIS_YEAR})).text)
    assert (
        f"Already ordered for {THIS_YEAR} by your school, awaiting its card payment: "
        "see the order" in page
    ), page
