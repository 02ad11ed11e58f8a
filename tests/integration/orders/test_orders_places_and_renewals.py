"""Course places through the catalogue's capacity events (reserved, waiting list, offered), and
the annual buy-back of subscriptions."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

from shared.auth import Role
from shared.clock import Clock
from tests.support.orders_shop import CATALOGUE_ADMIN, FINANCE, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth, eventually
from tests.support.tariffs import flat

ASHWELL_SCHOOL = auth(Role.SCHOOL, ASHWELL)


async def test_a_full_course_puts_the_line_on_the_waiting_list_and_a_freed_place_is_offered(
    shop: Shop,
) -> None:
    course = await shop.service(title="Maths mastery", service_type="course", category="CPD")
    starts_on = (Clock().today() + timedelta(days=40)).isoformat()
    session = await shop.session(course["id"], starts_on=starts_on, capacity=2)
    first = await shop.buy(course["id"], "invoice", 2, session_id=session["id"])
    await shop.add(course["id"], 1, urn=ASHWELL, session_id=session["id"])
    second = (await shop.checkout("invoice", urn=ASHWELL)).json()

    async def booking(order_id: str, wanted: str) -> dict[str, Any]:
        line = (await shop.order(order_id))["lines"][0]
        return line if line["booking"] == wanted else {}

    assert (await eventually(lambda: booking(first["id"], "reserved")))["quantity"] == 2
    waiting = await eventually(lambda: booking(second["id"], "waiting"))
    assert waiting["waiting_position"] == 1
    mine = await shop.orders.get("/bookings", headers=ASHWELL_SCHOOL)
    assert [(b["order_id"], b["line"]["booking"]) for b in mine.json()] == [
        (second["id"], "waiting")
    ]
    everyone = await shop.orders.get("/bookings", headers=FINANCE)
    assert {b["urn"] for b in everyone.json()} == {ABBOTS_LANGLEY, ASHWELL}

    cancelled = await shop.orders.post(
        f"/orders/{first['id']}/cancel", json={"reason": "inset day moved"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text

    offered = await eventually(lambda: booking(second["id"], "offered"))
    assert offered["offer_expires_at"] is not None
    bookings = await shop.platform.catalogue.get(
        f"/sessions/{session['id']}/bookings", headers=CATALOGUE_ADMIN
    )
    assert {(b["urn"], b["status"]) for b in bookings.json()} == {
        (ABBOTS_LANGLEY, "released"),
        (ASHWELL, "offered"),
    }


async def test_a_school_renews_last_year_s_subscriptions_at_next_year_s_prices_in_one_step(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 1))
    advice = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=120_000
    )
    this_year = await shop.buy(advice["id"], "invoice", academic_year="2026/27")
    await shop.add(advice["id"], urn=ASHWELL, academic_year="2026/27")
    assert (await shop.checkout("invoice", urn=ASHWELL)).status_code == 201
    prepared = await shop.platform.catalogue.put(  # next year's list, while this one is on sale
        f"/services/{advice['id']}/prices",
        json={"prices": {"maintained": flat(126000)}, "effective_from": "2027-09-01"},
        headers=CATALOGUE_ADMIN,
    )
    assert prepared.status_code == 200, prepared.text
    assert prepared.json()["prices"]["maintained"] == flat(120_000)
    assert (await shop.order(this_year["id"]))["gross_pence"] == this_year["gross_pence"] == 144_000

    early = await shop.orders.post(
        f"/renewals/{ABBOTS_LANGLEY}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-R1"},
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert early.status_code == 422
    assert early.json()["field"] == "year"
    assert "renewals for 2027/28 are open from 2 March 2027" in early.json()["detail"]

    shop.set_day(date(2027, 6, 1))
    offer = await shop.orders.get(
        f"/renewals/{ABBOTS_LANGLEY}", params={"year": "2027/28"}, headers=SCHOOL
    )
    assert offer.status_code == 200, offer.text
    assert [(line["service_id"], line["unit_price_pence"]) for line in offer.json()["lines"]] == [
        (advice["id"], 126_000)
    ]
    key = uuid.uuid4().hex
    renewed = await shop.orders.post(
        f"/renewals/{ABBOTS_LANGLEY}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-R1"},
        headers={**SCHOOL, "Idempotency-Key": key},
    )
    assert renewed.status_code == 201, renewed.text
    (line,) = renewed.json()["lines"]
    assert (line["unit_price_pence"], line["term_start"], line["term_end"]) == (
        126_000,
        "2027-09-01",
        "2028-08-31",
    )
    assert renewed.json()["gross_pence"] == 151_200
    retried = await shop.orders.post(
        f"/renewals/{ABBOTS_LANGLEY}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-R1"},
        headers={**SCHOOL, "Idempotency-Key": key},
    )
    assert retried.json()["id"] == renewed.json()["id"]
    twice = await shop.orders.post(
        f"/renewals/{ABBOTS_LANGLEY}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-R2"},
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert twice.status_code == 409

    company = await shop.orders.get("/renewals", params={"year": "2027/28"}, headers=FINANCE)
    spent = [
        (s["urn"], s["renewed"], s["last_year_net_pence"], s["last_year_gross_pence"])
        for s in company.json()
    ]
    assert spent == [(ABBOTS_LANGLEY, True, 120_000, 144_000), (ASHWELL, False, 120_000, 144_000)]
    assert company.json()[0]["renewed_by"] == renewed.json()["id"]
    assert (
        await shop.orders.get("/renewals", params={"year": "2027/28"}, headers=SCHOOL)
    ).status_code == 403
    other = await shop.orders.get(
        f"/renewals/{ABBOTS_LANGLEY}", params={"year": "2027/28"}, headers=ASHWELL_SCHOOL
    )
    assert other.status_code == 403


async def test_renewals_sent_at_once_with_different_keys_renew_the_year_once(shop: Shop) -> None:
    """Each renewal prices its lines with no transaction open, so all of them may find the
    year not yet renewed; the first to lock the school renews it, and the others are refused."""
    shop.set_day(date(2026, 10, 1))
    advice = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=90_000
    )
    await shop.buy(advice["id"], "invoice", academic_year="2026/27")
    await shop.keep_prices_from(advice["id"], "2027-09-01")  # 2027/28's list, as 2026/27's
    shop.set_day(date(2027, 6, 1))

    async def renew(purchase_order: str) -> Any:
        return await shop.orders.post(
            f"/renewals/{ABBOTS_LANGLEY}",
            params={"year": "2027/28"},
            json={"payment_method": "invoice", "purchase_order": purchase_order},
            headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
        )

    answers = await asyncio.gather(*(renew(f"PO-R{n}") for n in range(4)))

    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409]
    [renewed] = [answer.json() for answer in answers if answer.status_code == 201]
    for refused in (answer.json() for answer in answers if answer.status_code == 409):
        assert refused["detail"] == f"already renewed for 2027/28 by order {renewed['id']}"
    orders = (await shop.orders.get("/orders", headers=FINANCE)).json()
    next_year = [order for order in orders if order["lines"][0]["term_start"] == "2027-09-01"]
    assert [order["id"] for order in next_year] == [renewed["id"]]


async def test_a_subscription_bought_for_next_year_in_the_shop_renews_only_itself(
    shop: Shop,
) -> None:
    """Any order with a subscription for the year counted as the school's renewal: one new
    service bought for next year hid the renewal of the rest, refused it, and read "Renewed"."""
    shop.set_day(date(2026, 10, 1))
    advice, finance, data = [
        await shop.service(title=title, service_type="subscription", category=category)
        for title, category in (
            ("HR advice line", "HR"),
            ("Finance support", "Finance"),
            ("Data support", "Data"),
        )
    ]
    for service in (advice, finance):
        await shop.add(service["id"], academic_year="2026/27")
    assert (await shop.checkout("invoice")).status_code == 201

    shop.set_day(date(2027, 6, 1))
    for service in (advice, finance, data):  # 2027/28's list, as 2026/27's
        await shop.keep_prices_from(service["id"], "2027-09-01")
    for service in (advice, data):  # last year's advice line again, and a new service
        await shop.add(service["id"], academic_year="2027/28")
    in_the_shop = await shop.checkout("invoice")
    assert in_the_shop.status_code == 201, in_the_shop.text

    async def offer() -> dict[str, Any]:
        found = await shop.orders.get(
            f"/renewals/{ABBOTS_LANGLEY}", params={"year": "2027/28"}, headers=SCHOOL
        )
        return dict(found.json())

    async def renewed() -> bool:
        company = await shop.orders.get("/renewals", params={"year": "2027/28"}, headers=FINANCE)
        return bool(next(s["renewed"] for s in company.json() if s["urn"] == ABBOTS_LANGLEY))

    before = await offer()
    assert ([line["title"] for line in before["lines"]], before["renewed_by"]) == (
        ["Finance support"],
        None,
    )
    assert not await renewed()
    renewal = await shop.orders.post(
        f"/renewals/{ABBOTS_LANGLEY}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-R2"},
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert renewal.status_code == 201, renewal.text
    assert [line["title"] for line in renewal.json()["lines"]] == ["Finance support"]
    after = await offer()
    assert after["lines"] == []
    assert after["renewed_by"] in {renewal.json()["id"], in_the_shop.json()["id"]}  # either
    assert await renewed()


async def renewal_offer(shop: Shop) -> dict[str, Any]:
    offer = await shop.orders.get(
        f"/renewals/{ABBOTS_LANGLEY}", params={"year": "2027/28"}, headers=SCHOOL
    )
    assert offer.status_code == 200, offer.text
    return dict(offer.json())


async def renew(shop: Shop, purchase_order: str) -> Any:
    return await shop.orders.post(
        f"/renewals/{ABBOTS_LANGLEY}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": purchase_order},
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )


async def shop_s_price_for(shop: Shop, service_id: str, year: str) -> dict[str, Any]:
    """What the shop shows the school for a service bought for an academic year."""
    shown = await shop.platform.catalogue.get(
        f"/services/{service_id}", params={"academic_year": year}, headers=SCHOOL
    )
    assert shown.status_code == 200, shown.text
    return dict(shown.json())


async def test_a_late_renewal_is_charged_the_year_s_list_the_shop_sells_it_at(shop: Shop) -> None:
    """Renewing in September for the year under way buys it as the shop sells it that day: at
    the list set for the year, here published late, from 10 September. The renewal priced it
    at 1 September's list, last year's, while the shop sold it at this year's."""
    shop.set_day(date(2026, 10, 1))
    advice = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=120_000
    )
    await shop.buy(advice["id"], "invoice", academic_year="2026/27")
    shop.set_day(date(2027, 9, 10))
    published = await shop.platform.catalogue.put(  # 2027/28's list, from today
        f"/services/{advice['id']}/prices",
        json={"prices": {"maintained": flat(126_000)}},
        headers=CATALOGUE_ADMIN,
    )
    assert published.status_code == 200, published.text

    shop.set_day(date(2027, 9, 20))  # the window for 2027/28 is open until 1 October
    in_the_shop = await shop_s_price_for(shop, advice["id"], "2027/28")
    offer = await renewal_offer(shop)
    renewed = await renew(shop, "PO-LATE")

    assert in_the_shop["price_for_school"]["unit_price_pence"] == 126_000
    assert [(line["title"], line["unit_price_pence"]) for line in offer["lines"]] == [
        ("HR advice line", 126_000)
    ]
    assert renewed.status_code == 201, renewed.text
    (line,) = renewed.json()["lines"]
    assert (line["unit_price_pence"], line["term_start"], line["term_end"]) == (
        126_000,
        in_the_shop["for_year"]["term_start"],
        "2028-08-31",
    )
    assert renewed.json()["gross_pence"] == 151_200


async def test_a_subscription_with_no_price_for_next_year_yet_waits_named_and_renews_once_priced(
    shop: Shop,
) -> None:
    """The shop does not sell a subscription for a year whose price list is not set yet; the
    renewal had priced it at this year's list all the same. It is named apart, the rest is
    renewed without it, and it is renewed by itself once its price is published."""
    shop.set_day(date(2026, 10, 1))
    advice, data = [
        await shop.service(
            title=title, service_type="subscription", category=category, unit_price_pence=pence
        )
        for title, category, pence in (
            ("HR advice line", "HR", 120_000),
            ("Data support", "Data", 80_000),
        )
    ]
    for service in (advice, data):
        await shop.add(service["id"], academic_year="2026/27")
    assert (await shop.checkout("invoice")).status_code == 201
    await shop.keep_prices_from(advice["id"], "2027-09-01")  # 2027/28's list; none for data

    shop.set_day(date(2027, 6, 1))
    in_the_shop = await shop_s_price_for(shop, data["id"], "2027/28")
    offer = await renewal_offer(shop)
    assert in_the_shop["for_year"]["on_sale"] is False
    assert in_the_shop["for_year"]["refused"].startswith("Data support has no price for 2027/28")
    assert [(line["title"], line["unit_price_pence"]) for line in offer["lines"]] == [
        ("HR advice line", 120_000)
    ]
    assert (offer["not_yet_priced"], offer["not_offered"]) == (["Data support"], [])

    renewed = await renew(shop, "PO-R1")
    assert renewed.status_code == 201, renewed.text
    assert [line["title"] for line in renewed.json()["lines"]] == ["HR advice line"]
    assert renewed.json()["gross_pence"] == 144_000
    waiting = await renewal_offer(shop)
    assert (waiting["lines"], waiting["not_yet_priced"], waiting["renewed_by"]) == (
        [],
        ["Data support"],
        None,
    )
    nothing_yet = await renew(shop, "PO-R2")
    assert nothing_yet.status_code == 422, nothing_yet.text
    assert nothing_yet.json() == {
        "detail": "nothing to renew for 2027/28 yet: Data support has no price for 2027/28 "
        "yet; renew it when its price is published",
        "field": "year",
    }
    company = await shop.orders.get("/renewals", params={"year": "2027/28"}, headers=FINANCE)
    assert [s["renewed"] for s in company.json() if s["urn"] == ABBOTS_LANGLEY] == [False]

    priced = await shop.platform.catalogue.put(
        f"/services/{data['id']}/prices",
        json={"prices": {"maintained": flat(84_000)}, "effective_from": "2027-09-01"},
        headers=CATALOGUE_ADMIN,
    )
    assert priced.status_code == 200, priced.text
    offer = await renewal_offer(shop)
    assert [(line["title"], line["unit_price_pence"]) for line in offer["lines"]] == [
        ("Data support", 84_000)
    ]
    assert offer["not_yet_priced"] == []
    rest = await renew(shop, "PO-R3")
    assert rest.status_code == 201, rest.text
    assert [(line["title"], line["unit_price_pence"]) for line in rest.json()["lines"]] == [
        ("Data support", 84_000)
    ]
    renewed_by = (await renewal_offer(shop))["renewed_by"]
    assert renewed_by in {renewed.json()["id"], rest.json()["id"]}  # placed on the same day
