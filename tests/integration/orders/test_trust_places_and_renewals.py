"""A trust's order after its checkout: the places offered on its lines are answered by the
trust buyer, or by each school on its own lines (the offer is sent to the school), and the
buy-back renews each school's own subscriptions for that school, not a trust's for its first;
the trust renews what it bought for its schools as one trust order, at the prices it read."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from services.seed.demo_trust import DEMO_TRUST_CODE
from shared.auth import Role
from shared.clock import Clock
from tests.integration.orders.test_trust_orders import (
    FLEETVILLE_JUNIOR,
    OTHER_TRUST,
    SANDRINGHAM,
    TRUST,
    check_out_trust,
)
from tests.support.orders_shop import CATALOGUE_ADMIN, FINANCE, SCHOOL, Shop
from tests.support.platform import auth, eventually
from tests.support.tariffs import flat

SANDRINGHAM_SCHOOL = auth(Role.SCHOOL, SANDRINGHAM)
FLEETVILLE_JUNIOR_SCHOOL = auth(Role.SCHOOL, FLEETVILLE_JUNIOR)


async def add_for(shop: Shop, urn: int, service_id: str, **extra: Any) -> None:
    added = await shop.orders.post(
        f"/baskets/{urn}/lines",
        json={"service_id": service_id, "quantity": 1, **extra},
        headers=TRUST,
    )
    assert added.status_code == 201, added.text


async def bookings(
    shop: Shop, headers: dict[str, str], urn: int | None = None
) -> list[tuple[int, str]]:
    found = await shop.orders.get("/bookings", params={"urn": urn} if urn else {}, headers=headers)
    assert found.status_code == 200, found.text
    return sorted((booking["urn"], booking["line"]["booking"]) for booking in found.json())


async def trust_offered(shop: Shop) -> dict[str, Any]:
    """A two-place session Abbots Langley holds; the trust's order waits for a place for each
    of two of its schools; Abbots Langley cancels and both are offered."""
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    runs_on = (Clock().today() + timedelta(days=40)).isoformat()
    session = await shop.session(course["id"], starts_on=runs_on, capacity=2)
    holder = await shop.buy(course["id"], "invoice", 2, session_id=session["id"])
    for urn in (SANDRINGHAM, FLEETVILLE_JUNIOR):
        await add_for(shop, urn, course["id"], session_id=session["id"])
    placed = await check_out_trust(shop)
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]

    async def every_line(wanted: str) -> bool:
        return all(line["booking"] == wanted for line in (await shop.order(order_id))["lines"])

    await eventually(lambda: every_line("waiting"))
    cancelled = await shop.orders.post(
        f"/orders/{holder['id']}/cancel", json={"reason": "inset day moved"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: every_line("offered"))
    return await shop.order(order_id)


def answer(order: dict[str, Any], urn: int, verb: str) -> str:
    (line,) = [line for line in order["lines"] if line["school_urn"] == urn]
    return f"/orders/{order['id']}/lines/{line['line_id']}/{verb}"


async def test_each_school_answers_the_offer_on_its_line_of_the_trust_s_order(
    shop: Shop,
) -> None:
    order = await trust_offered(shop)
    assert await bookings(shop, SANDRINGHAM_SCHOOL) == [(SANDRINGHAM, "offered")]
    assert await bookings(shop, TRUST) == [(SANDRINGHAM, "offered"), (FLEETVILLE_JUNIOR, "offered")]

    others_line = answer(order, SANDRINGHAM, "accept")
    for stranger in (FLEETVILLE_JUNIOR_SCHOOL, OTHER_TRUST):
        refused = await shop.orders.post(others_line, headers=stranger)
        assert refused.status_code == 404, refused.text
    accepted = await shop.orders.post(others_line, headers=SANDRINGHAM_SCHOOL)
    assert accepted.status_code == 200, accepted.text
    # the school sees its own line of the trust's order, not the trust's invoice or other lines
    assert [(line["school_urn"], line["booking"]) for line in accepted.json()["lines"]] == [
        (SANDRINGHAM, "reserved")
    ]
    assert accepted.json()["invoice"] is None
    school_sees = await shop.orders.get(f"/orders/{order['id']}", headers=SANDRINGHAM_SCHOOL)
    assert school_sees.status_code == 404  # the trust's order stays the trust's


async def test_the_trust_buyer_answers_the_offers_on_the_trust_s_order(shop: Shop) -> None:
    order = await trust_offered(shop)
    declined = await shop.orders.post(answer(order, FLEETVILLE_JUNIOR, "decline"), headers=TRUST)
    assert declined.status_code == 200, declined.text
    accepted = await shop.orders.post(answer(order, SANDRINGHAM, "accept"), headers=TRUST)
    assert accepted.status_code == 200, accepted.text
    assert {(line["school_urn"], line["booking"]) for line in accepted.json()["lines"]} == {
        (SANDRINGHAM, "reserved"),
        (FLEETVILLE_JUNIOR, "declined"),
    }
    assert accepted.json()["invoice"]["credited_pence"] > 0  # the declined line's credit note


async def test_a_trust_school_s_line_is_found_and_answered_as_that_school_s(
    shop: Shop,
) -> None:
    order = await trust_offered(shop)
    assert order["urn"] == FLEETVILLE_JUNIOR  # the order's first school, by name
    for urn in (SANDRINGHAM, FLEETVILLE_JUNIOR):
        assert await bookings(shop, FINANCE, urn) == [(urn, "offered")]

    declined = await shop.orders.post(
        answer(order, SANDRINGHAM, "decline"), headers=SANDRINGHAM_SCHOOL
    )

    assert declined.status_code == 200, declined.text
    (heard,) = await shop.outbox("orders.place_offer.declined.v1")
    assert heard["urn"] == SANDRINGHAM  # the catalogue frees the place Sandringham held


async def test_a_remittance_after_a_trust_school_declined_its_places_pays_the_lines_kept(
    shop: Shop,
) -> None:
    order = await trust_offered(shop)
    declined = await shop.orders.post(answer(order, FLEETVILLE_JUNIOR, "decline"), headers=TRUST)
    assert declined.status_code == 200, declined.text
    accepted = await shop.orders.post(
        answer(order, SANDRINGHAM, "accept"), headers=SANDRINGHAM_SCHOOL
    )
    assert accepted.status_code == 200, accepted.text
    (heard,) = await shop.outbox("orders.place_offer.accepted.v1")
    assert heard["urn"] == SANDRINGHAM

    invoice = (await shop.order(order["id"]))["invoice"]
    remitted = await shop.orders.post(
        f"/invoices/{invoice['id']}/remittances",
        json={
            "amount_pence": invoice["outstanding_pence"],
            "received_on": str(Clock().today()),
            "reference": "MAT BACS 2",
        },
        headers=FINANCE,
    )

    assert remitted.status_code == 201, remitted.text
    (kept,) = [line for line in order["lines"] if line["school_urn"] == SANDRINGHAM]
    (settled,) = await shop.outbox("orders.invoice.settled.v1")
    assert [(line["line_id"], line["gross_pence"]) for line in settled["lines"]] == [
        (kept["line_id"], kept["gross_pence"])
    ]
    assert settled["amount_pence"] == settled["gross_pence"] == kept["gross_pence"]


async def renew_offer(shop: Shop, urn: int) -> list[str]:
    offer = await shop.orders.get(
        f"/renewals/{urn}", params={"year": "2027/28"}, headers=auth(Role.SCHOOL, urn)
    )
    assert offer.status_code == 200, offer.text
    return [line["title"] for line in offer.json()["lines"]]


async def test_a_trust_school_renews_its_own_subscriptions_and_is_counted_once_for_its_lines(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 1))
    hr = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=90_000
    )
    finance = await shop.service(
        title="Finance support", service_type="subscription", category="Finance"
    )
    for urn in (FLEETVILLE_JUNIOR, SANDRINGHAM):  # Fleetville Junior is the order's first
        await add_for(shop, urn, hr["id"], academic_year="2026/27")
    trust_order = await check_out_trust(shop)
    assert trust_order.status_code == 201, trust_order.text
    assert trust_order.json()["urn"] == FLEETVILLE_JUNIOR
    await shop.add(finance["id"], urn=FLEETVILLE_JUNIOR, academic_year="2026/27")
    own: httpx.Response = await shop.checkout("invoice", urn=FLEETVILLE_JUNIOR)
    assert own.status_code == 201, own.text
    await shop.keep_prices_from(finance["id"], "2027-09-01")  # 2027/28's list, as 2026/27's

    shop.set_day(date(2027, 6, 1))
    assert await renew_offer(shop, FLEETVILLE_JUNIOR) == ["Finance support"]
    assert await renew_offer(shop, SANDRINGHAM) == []  # the trust's purchase is the trust's
    renewed = await shop.orders.post(
        f"/renewals/{FLEETVILLE_JUNIOR}",
        params={"year": "2027/28"},
        json={"payment_method": "invoice", "purchase_order": "PO-R1"},
        headers={**FLEETVILLE_JUNIOR_SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert renewed.status_code == 201, renewed.text
    assert [line["title"] for line in renewed.json()["lines"]] == ["Finance support"]

    company = await shop.orders.get("/renewals", params={"year": "2027/28"}, headers=FINANCE)
    bought = {line["school_urn"]: line["gross_pence"] for line in trust_order.json()["lines"]}
    assert [(s["urn"], s["renewed"], s["last_year_gross_pence"]) for s in company.json()] == [
        (SANDRINGHAM, False, bought[SANDRINGHAM]),
        # its own renewed, not yet what its trust bought for it: not renewed until both are
        (FLEETVILLE_JUNIOR, False, bought[FLEETVILLE_JUNIOR] + own.json()["gross_pence"]),
    ]


async def trust_renewal(shop: Shop, headers: dict[str, str] = TRUST, **key: str) -> httpx.Response:
    return await shop.orders.post(
        f"/trusts/{DEMO_TRUST_CODE}/renewal",
        params={"year": "2027/28"},
        json={"purchase_order": "PO-TR1"},
        headers={**headers, "Idempotency-Key": key.get("key", uuid.uuid4().hex)},
    )


async def test_the_trust_renews_what_it_bought_for_its_schools_as_one_trust_order_at_the_prices_it_read(
    shop: Shop,
) -> None:
    await shop.demo_trust_discount(10)
    shop.set_day(date(2026, 10, 1))
    hr = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=90_000
    )
    finance = await shop.service(
        title="Finance support", service_type="subscription", category="Finance"
    )
    for urn in (FLEETVILLE_JUNIOR, SANDRINGHAM):
        await add_for(shop, urn, hr["id"], academic_year="2026/27")
    assert (await check_out_trust(shop)).status_code == 201
    await shop.add(finance["id"], urn=FLEETVILLE_JUNIOR, academic_year="2026/27")
    assert (await shop.checkout("invoice", urn=FLEETVILLE_JUNIOR)).status_code == 201
    prepared = await shop.platform.catalogue.put(
        f"/services/{hr['id']}/prices",
        json={"prices": {"maintained": flat(100_000)}, "effective_from": "2027-09-01"},
        headers=CATALOGUE_ADMIN,
    )
    assert prepared.status_code == 200, prepared.text

    shop.set_day(date(2027, 6, 1))
    offer = await shop.orders.get(
        f"/trusts/{DEMO_TRUST_CODE}/renewal", params={"year": "2027/28"}, headers=TRUST
    )
    assert offer.status_code == 200, offer.text
    offered = offer.json()
    assert [
        (school["urn"], [(line["title"], line["unit_price_pence"]) for line in school["lines"]])
        for school in offered["schools"]
    ] == [  # by name; the school's own Finance support is the school's to renew
        (FLEETVILLE_JUNIOR, [("HR advice line", 90_000)]),  # next year's £1,000 less 10%
        (SANDRINGHAM, [("HR advice line", 90_000)]),
    ]
    assert (offered["net_pence"], offered["gross_pence"]) == (180_000, 216_000)
    school_offer = await shop.orders.get(
        f"/renewals/{SANDRINGHAM}", params={"year": "2027/28"}, headers=SANDRINGHAM_SCHOOL
    )
    assert school_offer.json()["lines"] == []
    assert school_offer.json()["trust_bought"] == ["HR advice line"]
    refused = await trust_renewal(shop, OTHER_TRUST)
    assert refused.status_code == 403

    key = uuid.uuid4().hex
    renewed = await trust_renewal(shop, key=key)

    assert renewed.status_code == 201, renewed.text
    order = renewed.json()
    assert order["trust_code"] == DEMO_TRUST_CODE
    assert order["gross_pence"] == offered["gross_pence"]
    assert order["invoice"]["gross_pence"] == offered["gross_pence"]
    assert sorted(
        (line["school_urn"], line["unit_price_pence"], line["term_start"], line["term_end"])
        for line in order["lines"]
    ) == sorted(
        (urn, 90_000, "2027-09-01", "2028-08-31") for urn in (SANDRINGHAM, FLEETVILLE_JUNIOR)
    )
    assert (await trust_renewal(shop, key=key)).json()["id"] == order["id"]
    again = await trust_renewal(shop)
    assert again.status_code == 409
    assert again.json()["detail"] == f"already renewed for 2027/28 by order {order['id']}"
    after = await shop.orders.get(
        f"/trusts/{DEMO_TRUST_CODE}/renewal", params={"year": "2027/28"}, headers=TRUST
    )
    assert after.json()["renewed_by"] == order["id"]
    company = await shop.orders.get("/renewals", params={"year": "2027/28"}, headers=FINANCE)
    assert {s["urn"]: s["renewed_by"] for s in company.json()} == {
        SANDRINGHAM: order["id"],
        FLEETVILLE_JUNIOR: None,  # its own Finance support is still to renew
    }


async def test_the_trust_renews_what_is_priced_for_next_year_and_names_each_school_s_line_not_yet(
    shop: Shop,
) -> None:
    """A subscription the trust bought for a school whose price list for next year is not set
    is named under its school, not renewed and not on the trust's invoice; the renewal had
    priced it at this year's list, which the shop does not sell it at for next year."""
    shop.set_day(date(2026, 10, 1))
    hr = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=90_000
    )
    data = await shop.service(
        title="Data support", service_type="subscription", category="Data", unit_price_pence=80_000
    )
    for urn, service in ((FLEETVILLE_JUNIOR, hr), (SANDRINGHAM, hr), (SANDRINGHAM, data)):
        await add_for(shop, urn, service["id"], academic_year="2026/27")
    assert (await check_out_trust(shop)).status_code == 201
    await shop.keep_prices_from(hr["id"], "2027-09-01")  # 2027/28's list; none for data

    shop.set_day(date(2027, 6, 1))
    offer = await shop.orders.get(
        f"/trusts/{DEMO_TRUST_CODE}/renewal", params={"year": "2027/28"}, headers=TRUST
    )
    assert offer.status_code == 200, offer.text
    offered = offer.json()
    assert [
        (school["urn"], [line["title"] for line in school["lines"]], school["not_yet_priced"])
        for school in offered["schools"]
    ] == [
        (FLEETVILLE_JUNIOR, ["HR advice line"], []),
        (SANDRINGHAM, ["HR advice line"], ["Data support"]),
    ]
    renewed = await trust_renewal(shop)
    assert renewed.status_code == 201, renewed.text
    order = renewed.json()
    assert order["gross_pence"] == order["invoice"]["gross_pence"] == offered["gross_pence"]
    assert sorted((line["school_urn"], line["title"]) for line in order["lines"]) == [
        (SANDRINGHAM, "HR advice line"),
        (FLEETVILLE_JUNIOR, "HR advice line"),
    ]

    after = await shop.orders.get(
        f"/trusts/{DEMO_TRUST_CODE}/renewal", params={"year": "2027/28"}, headers=TRUST
    )
    assert [
        (school["urn"], school["lines"], school["not_yet_priced"])
        for school in after.json()["schools"]
    ] == [(SANDRINGHAM, [], ["Data support"])]
    assert (after.json()["gross_pence"], after.json()["renewed_by"]) == (0, None)
    nothing_yet = await trust_renewal(shop)
    assert nothing_yet.status_code == 422, nothing_yet.text
    assert nothing_yet.json()["field"] == "year"
    assert nothing_yet.json()["detail"] == (
        "nothing to renew for 2027/28 yet: Data support for Sandringham School has no price for "
        "2027/28 yet; renew it when its price is published"
    )
