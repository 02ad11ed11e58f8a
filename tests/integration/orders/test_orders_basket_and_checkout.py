"""A school's basket, priced by the catalogue's quote for it, and checkout with an
Idempotency-Key: on a real database, with real NATS JetStream behind."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest

from services.orders.adapters.register_csv import read_register
from services.seed.files import SCHOOLS_CSV
from shared.auth import Role
from shared.clock import Clock
from tests.support.orders_shop import ADMIN, CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth, eventually, invoice_order
from tests.support.tariffs import banded, flat

BANDED = {  # Abbots Langley (maintained, 420 on roll) pays the 401+ band
    "maintained": banded({0: 250000, 201: 325000, 401: 410000}),
    "academy": banded({0: 275000, 201: 355000, 401: 445000}),
    "out_of_area": flat(400000),
}


async def test_a_basket_line_is_priced_by_the_school_s_own_quote_with_net_vat_and_gross(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 1))
    service = await shop.service(
        title="School improvement partner package", service_type="subscription", prices=BANDED
    )
    quote = await shop.platform.catalogue.post(
        "/quotes",
        json={"service_id": service["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
        headers=SCHOOL,
    )
    basket = await shop.add(service["id"], academic_year="2026/27")
    (line,) = basket["lines"]
    assert line["unit_price_pence"] == quote.json()["unit_price_pence"]
    assert (basket["net_pence"], basket["vat_pence"], basket["gross_pence"]) == (
        quote.json()["net_pence"],
        quote.json()["vat_pence"],
        quote.json()["gross_pence"],
    )
    assert (line["term_start"], line["term_end"]) == ("2026-09-01", "2027-08-31")

    changed = await shop.orders.patch(
        f"/baskets/{ABBOTS_LANGLEY}/lines/{line['line_id']}", json={"quantity": 2}, headers=SCHOOL
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["net_pence"] == 2 * quote.json()["net_pence"]
    removed = await shop.orders.delete(
        f"/baskets/{ABBOTS_LANGLEY}/lines/{line['line_id']}", headers=SCHOOL
    )
    assert removed.json()["lines"] == []
    assert removed.json()["gross_pence"] == 0


async def test_a_subscription_is_put_in_the_basket_for_the_year_asked_or_not_at_all(
    shop: Shop,
) -> None:
    """A year over, or one the service is not sold for, is refused by name; it had been bought
    for the year the catalogue sold it for, which nobody asked for."""
    shop.set_day(date(2027, 10, 2))
    advice = await shop.service(
        title="HR advice line",
        service_type="subscription",
        category="HR",
        unit_price_pence=90_000,
        academic_years=["2027/28"],
    )
    url = f"/baskets/{ABBOTS_LANGLEY}/lines"
    for year, refusal in [
        ("2026/27", "2026/27 ended on 31 August 2027: buy for this year or one to come"),
        ("2028/29", "the catalogue refused: HR advice line runs in 2027/28, not 2028/29"),
    ]:
        asked = await shop.orders.post(
            url,
            json={"service_id": advice["id"], "quantity": 1, "academic_year": year},
            headers=SCHOOL,
        )
        assert asked.status_code == 422, asked.text
        assert asked.json() == {"detail": refusal, "field": "academic_year"}
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert basket.json()["lines"] == []

    (line,) = (await shop.add(advice["id"], academic_year="2027/28"))["lines"]
    assert (line["term_start"], line["term_end"]) == ("2027-09-01", "2028-08-31")


async def test_the_quoted_price_is_charged_even_if_the_catalogue_reprices_before_checkout(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=65_000)
    await shop.add(service["id"], 2)
    repriced = await shop.platform.catalogue.put(
        f"/services/{service['id']}/prices",
        json={"prices": {"maintained": flat(99000)}, "vat_rate": "standard"},
        headers=CATALOGUE_ADMIN,
    )
    assert repriced.status_code == 200, repriced.text

    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["lines"][0]["unit_price_pence"] == 65_000
    assert (order["net_pence"], order["vat_pence"], order["gross_pence"]) == (
        130_000,
        26_000,
        156_000,
    )
    assert (order["status"], order["payment_status"]) == ("placed", "invoiced")
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert basket.json()["lines"] == []
    (placed_event,) = await shop.outbox("orders.order.placed.v1")
    assert placed_event["lines"][0]["unit_price_pence"] == 65_000
    assert placed_event["strand"] == "traded"
    assert (placed_event["urn"], placed_event["phase"]) == (ABBOTS_LANGLEY, "Primary")

    again = await shop.platform.catalogue.put(
        f"/services/{service['id']}/prices",
        json={"prices": {"maintained": flat(120_000)}, "vat_rate": "zero"},
        headers=CATALOGUE_ADMIN,
    )
    assert again.json()["price_version"] == 3
    kept = await shop.order(order["id"])  # a placed order keeps what it was quoted
    assert (kept["lines"][0]["unit_price_pence"], kept["gross_pence"]) == (65_000, 156_000)


async def test_the_same_idempotency_key_returns_the_same_order_even_under_concurrent_retries(
    shop: Shop,
) -> None:
    service = await shop.service()
    await shop.add(service["id"], 3)
    key = uuid.uuid4().hex

    answers = await asyncio.gather(*(shop.checkout("invoice", key=key) for _ in range(6)))

    assert {answer.status_code for answer in answers} == {201}, [a.text for a in answers]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert len({answer.json()["invoice"]["number"] for answer in answers}) == 1
    listed = await shop.orders.get("/orders", headers=SCHOOL)
    assert len(listed.json()) == 1
    assert len(await shop.outbox("orders.order.placed.v1")) == 1
    assert len(await shop.outbox("orders.invoice.raised.v1")) == 1
    again = await shop.checkout("invoice", key=key)  # later, with the basket now empty
    assert again.json()["id"] == answers[0].json()["id"]


async def test_invoice_numbers_have_no_gap_and_no_repeat_under_concurrent_checkouts(
    shop: Shop,
) -> None:
    service = await shop.service()
    schools = [ABBOTS_LANGLEY, ASHWELL, 117087, 117088, 117089, 117090, 117091, 117092]  # real URNs
    for urn in schools:
        await shop.add(service["id"], urn=urn)

    answers = await asyncio.gather(*(shop.checkout("invoice", urn=urn) for urn in schools))

    assert [answer.status_code for answer in answers] == [201] * len(schools), [
        a.text for a in answers
    ]
    numbers = sorted(answer.json()["invoice"]["number"] for answer in answers)
    assert numbers == [f"INV-{n:06d}" for n in range(1, len(schools) + 1)]


async def test_checkout_needs_an_idempotency_key_and_an_empty_basket_is_refused(shop: Shop) -> None:
    no_key = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/checkout",
        json={"payment_method": "invoice", "purchase_order": "PO"},
        headers=SCHOOL,
    )
    assert no_key.status_code == 422
    assert no_key.json()["errors"][0]["field"] == "idempotency-key"
    empty = await shop.checkout("invoice")
    assert empty.status_code == 422
    assert empty.json() == {"detail": "the basket is empty", "field": "lines"}


async def test_bad_basket_input_gets_a_4xx_naming_the_field_and_changes_nothing(shop: Shop) -> None:
    service = await shop.service()
    for body, field in (
        ({"service_id": service["id"], "quantity": 0}, "quantity"),
        ({"service_id": "not-a-uuid", "quantity": 1}, "service_id"),
        ({"service_id": str(uuid.uuid4()), "quantity": 1}, "service_id"),
        ({"service_id": service["id"], "quantity": 1, "academic_year": "2026-27"}, "academic_year"),
    ):
        refused = await shop.orders.post(
            f"/baskets/{ABBOTS_LANGLEY}/lines", json=body, headers=SCHOOL
        )
        assert refused.status_code == 422, refused.text
        found = refused.json().get("field") or refused.json()["errors"][0]["field"]
        assert found == field
    await shop.add(service["id"])
    no_po = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/checkout",
        json={"payment_method": "invoice", "purchase_order": " "},
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert no_po.status_code == 422
    assert no_po.json()["field"] == "purchase_order"
    assert (
        len((await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)).json()["lines"])
        == 1
    )
    assert (await shop.orders.get("/orders", headers=ADMIN)).json() == []


async def test_a_school_cannot_touch_another_school_s_basket_orders_or_invoices(shop: Shop) -> None:
    service = await shop.service()
    other = auth(Role.SCHOOL, ASHWELL)
    peek = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=other)
    assert peek.status_code == 403
    assert peek.json()["field"] == "urn"
    add = await shop.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/lines",
        json={"service_id": service["id"], "quantity": 1},
        headers=other,
    )
    assert add.status_code == 403
    order = await shop.buy(service["id"])
    assert (await shop.orders.get(f"/orders/{order['id']}", headers=other)).status_code == 404
    invoice_id = order["invoice"]["id"]
    assert (await shop.orders.get(f"/invoices/{invoice_id}", headers=other)).status_code == 404
    assert (await shop.orders.get(f"/invoices/{invoice_id}/pdf", headers=other)).status_code == 404
    assert (await shop.orders.get("/invoices", headers=other)).json() == []
    cancel = await shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "not mine"}, headers=other
    )
    assert cancel.status_code == 404
    assert (await shop.order(order["id"]))["payment_status"] == "invoiced"
    remit = await shop.orders.post(
        f"/invoices/{invoice_id}/remittances",
        json={"amount_pence": 1, "received_on": "2026-12-01", "reference": "BACS"},
        headers=SCHOOL,
    )
    assert remit.status_code == 403


async def test_the_direct_order_the_portal_uses_takes_card_payment_and_an_idempotency_key(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=65_000)
    await eventually(lambda: listed(shop, service["id"]))
    body = {
        "urn": ABBOTS_LANGLEY,
        "lines": [{"service_id": service["id"], "quantity": 1}],
        "payment_method": "card",
    }
    headers = {**SCHOOL, "Idempotency-Key": uuid.uuid4().hex}

    first = await shop.orders.post("/orders", json=body, headers=headers)
    again = await shop.orders.post("/orders", json=body, headers=headers)

    assert first.status_code == again.status_code == 201, first.text
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["payment_status"] == "awaiting_payment"
    assert first.json()["payment"]["amount_pence"] == 78_000
    assert first.json()["payment"]["client_secret"]
    listed_orders = await shop.orders.get("/orders", headers=SCHOOL)
    assert [order["id"] for order in listed_orders.json()] == [first.json()["id"]]


async def listed(shop: Shop, service_id: str) -> bool:
    listings = await shop.orders.get("/listings", headers=SCHOOL)
    return any(listing["service_id"] == service_id for listing in listings.json())


async def test_the_direct_order_charges_the_school_its_own_price_not_the_list_price(
    shop: Shop,
) -> None:
    shop.set_day(date(2026, 10, 1))
    service = await shop.service(
        title="School improvement partner package", service_type="subscription", prices=BANDED
    )
    body = invoice_order(service["id"], purchase_order="PO-4411")
    placed = await shop.orders.post(
        "/orders", json=body, headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex}
    )
    assert placed.status_code == 201, placed.text
    (line,) = placed.json()["lines"]
    assert line["unit_price_pence"] == 410_000 != service["unit_price_pence"]
    assert placed.json()["gross_pence"] == 492_000

    unknown = {**body, "lines": [{"service_id": str(uuid.uuid4()), "quantity": 1}]}
    refused = await shop.orders.post(
        "/orders", json=unknown, headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex}
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "lines.0.service_id")


@pytest.mark.parametrize("method", ["invoice", "card"])
async def test_sixty_four_concurrent_checkouts_all_succeed_without_a_busy_database(
    shop: Shop, method: str
) -> None:
    service = await shop.service()
    schools = [school.urn for school in read_register(SCHOOLS_CSV)][:64]
    for urn in schools:
        await shop.add(service["id"], urn=urn)

    answers = await asyncio.gather(*(shop.checkout(method, urn=urn) for urn in schools))

    assert [answer.status_code for answer in answers] == [201] * 64, {
        answer.status_code: answer.text for answer in answers
    }
    assert len(await shop.outbox("orders.order.placed.v1")) == 64


async def test_a_subscription_for_a_year_not_yet_begun_is_priced_from_that_year_s_list(
    shop: Shop,
) -> None:
    today = Clock().today()
    this_year = today.year if today.month >= 9 else today.year - 1
    next_year = f"{this_year + 1}/{(this_year + 2) % 100:02d}"
    advice = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=120_000
    )
    prepared = await shop.platform.catalogue.put(
        f"/services/{advice['id']}/prices",
        json={
            "prices": {"maintained": flat(126_000)},
            "effective_from": date(this_year + 1, 9, 1).isoformat(),
        },
        headers=CATALOGUE_ADMIN,
    )
    assert prepared.status_code == 200, prepared.text
    await shop.add(advice["id"])
    basket = await shop.add(advice["id"], academic_year=next_year)
    assert [(line["term_start"], line["unit_price_pence"]) for line in basket["lines"]] == [
        (f"{this_year}-09-01", 120_000),
        (f"{this_year + 1}-09-01", 126_000),
    ]
