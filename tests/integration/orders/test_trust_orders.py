"""An academy trust buys for its schools: at its own price list, on one order and one
consolidated invoice to the trust with a line per school, owed by the trust in the ledger;
each school still sees only its own orders, and the trust buyer only the trust's."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
from pypdf import PdfReader

from services.seed.demo_trust import DEMO_TRUST_CODE, DEMO_TRUST_NAME
from shared.auth import Role
from shared.clock import Clock
from tests.support.orders_shop import FINANCE, Shop
from tests.support.platform import ABBOTS_LANGLEY, auth, eventually

SANDRINGHAM = 136609  # a secondary academy of the demo trust
FLEETVILLE_JUNIOR = 138205  # a primary academy of the demo trust
TRUST = auth(Role.TRUST_BUYER, trust=DEMO_TRUST_CODE)
OTHER_TRUST = auth(Role.TRUST_BUYER, trust="OTHER-9")


async def add_for(shop: Shop, urn: int, service_id: str, quantity: int = 1) -> httpx.Response:
    return await shop.orders.post(
        f"/baskets/{urn}/lines",
        json={"service_id": service_id, "quantity": quantity},
        headers=TRUST,
    )


async def check_out_trust(shop: Shop, headers: dict[str, str] = TRUST) -> httpx.Response:
    return await shop.orders.post(
        f"/trusts/{DEMO_TRUST_CODE}/checkout",
        json={"purchase_order": "TRUST-PO-7"},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )


async def a_trust_order(shop: Shop) -> dict[str, Any]:
    """Ten per cent off for the trust; a governance review for Fleetville Junior, two
    improvement visits for Sandringham, checked out together."""
    await shop.demo_trust_discount(10)
    review = await shop.service(unit_price_pence=65_000, category="Governance")  # CFR E28a
    visit = await shop.service(
        unit_price_pence=40_000, category="School improvement", title="Improvement visit"
    )  # CFR E27
    added = await add_for(shop, FLEETVILLE_JUNIOR, review["id"])
    assert added.status_code == 201, added.text
    assert added.json()["lines"][0]["unit_price_pence"] == 58_500  # £650 less 10%
    assert (await add_for(shop, SANDRINGHAM, visit["id"], 2)).status_code == 201
    placed = await check_out_trust(shop)
    assert placed.status_code == 201, placed.text
    return dict(placed.json())


def pdf_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(page.extract_text() for page in pages)


async def test_a_trust_s_order_is_one_invoice_to_the_trust_owed_by_the_trust_in_the_ledger(
    shop_and_ledger: Shop,
) -> None:
    shop = shop_and_ledger
    order = await a_trust_order(shop)
    assert order["trust_code"] == DEMO_TRUST_CODE
    assert order["payment_status"] == "invoiced"
    assert [(line["school_urn"], line["net_pence"]) for line in order["lines"]] == [
        (FLEETVILLE_JUNIOR, 58_500),  # the trust's schools by name
        (SANDRINGHAM, 72_000),
    ]
    assert order["gross_pence"] == (72_000 + 58_500) * 120 // 100
    basket = (await shop.orders.get(f"/trusts/{DEMO_TRUST_CODE}/basket", headers=TRUST)).json()
    assert basket["gross_pence"] == 0 and len(basket["schools"]) == 3  # emptied, all schools

    text = pdf_text(await shop.orders.get(f"/invoices/{order['invoice']['id']}/pdf", headers=TRUST))
    assert f"{DEMO_TRUST_NAME} (trust {DEMO_TRUST_CODE})" in text
    assert "For Fleetville Junior School (URN 138205)" in text
    assert "For Sandringham School (URN 136609)" in text
    assert "Total to pay £1,566.00" in text

    (raised,) = await shop.outbox("orders.invoice.raised.v1")
    assert raised["trust_code"] == DEMO_TRUST_CODE
    assert {line["urn"] for line in raised["lines"]} == {SANDRINGHAM, FLEETVILLE_JUNIOR}

    async def owed() -> list[dict[str, Any]]:
        statement = await shop.platform.ledger.get(
            "/reports/accounts/receivables:schools/statement", headers=FINANCE
        )
        return [line for line in statement.json()["rows"] if line["amount_pence"] > 0]

    (receivable,) = await eventually(owed)
    assert (receivable["trust_code"], receivable["urn"]) == (DEMO_TRUST_CODE, None)
    assert receivable["amount_pence"] == 156_600
    aged = await shop.platform.ledger.get("/reports/aged-debt", headers=FINANCE)
    assert [(row["urn"], row["name"], row["total_pence"]) for row in aged.json()["rows"]] == [
        (None, f"Academy trust {DEMO_TRUST_CODE}", 156_600)
    ]
    await shop.fulfil(order["id"])  # earned once delivered, each school's its own

    async def income_by_school() -> dict[int, int]:
        by_school = await shop.platform.ledger.get(
            "/reports/traded-income?by=school", headers=FINANCE
        )
        return {row["school"]: row["income_pence"] for row in by_school.json()["rows"]}

    income = await eventually(income_by_school)
    assert income == {SANDRINGHAM: 72_000, FLEETVILLE_JUNIOR: 58_500}
    by_cfr = await shop.platform.ledger.get("/reports/traded-income?by=cfr", headers=FINANCE)
    assert {row["cfr"]: row["income_pence"] for row in by_cfr.json()["rows"]} == {
        "E27": 72_000,
        "E28a": 58_500,
    }

    remitted = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={
            "amount_pence": 156_600,
            "received_on": str(Clock().today()),
            "reference": "MAT BACS",
        },
        headers=FINANCE,
    )
    assert remitted.status_code == 201, remitted.text

    async def settled() -> bool:
        aged = await shop.platform.ledger.get("/reports/aged-debt", headers=FINANCE)
        return bool(aged.json()["rows"] == [])

    await eventually(settled)  # the trust's payment clears the trust's debt


async def test_a_school_sees_only_its_own_orders_and_the_trust_buyer_only_the_trust_s(
    shop: Shop,
) -> None:
    order = await a_trust_order(shop)
    own = await shop.service(unit_price_pence=30_000, title="Sandringham's own purchase")
    await shop.add(own["id"], urn=SANDRINGHAM)
    placed = await shop.checkout("invoice", urn=SANDRINGHAM)
    assert placed.status_code == 201, placed.text
    school = auth(Role.SCHOOL, SANDRINGHAM)

    seen_by_school = (await shop.orders.get("/orders", headers=school)).json()
    assert [found["id"] for found in seen_by_school] == [placed.json()["id"]]
    assert (await shop.orders.get(f"/orders/{order['id']}", headers=school)).status_code == 404
    invoice_id = order["invoice"]["id"]
    assert (await shop.orders.get(f"/invoices/{invoice_id}", headers=school)).status_code == 404

    seen_by_trust = (await shop.orders.get("/orders", headers=TRUST)).json()
    assert [found["id"] for found in seen_by_trust] == [order["id"]]
    trust_invoices = (await shop.orders.get("/invoices", headers=TRUST)).json()
    assert [found["id"] for found in trust_invoices] == [invoice_id]
    own_order = f"/orders/{placed.json()['id']}"
    assert (await shop.orders.get(own_order, headers=TRUST)).status_code == 404
    assert (await shop.orders.get("/orders", headers=OTHER_TRUST)).json() == []
    assert (await shop.orders.get(f"/orders/{order['id']}", headers=OTHER_TRUST)).status_code == 404
    assert (await shop.orders.get("/refunds", headers=TRUST)).status_code == 403


async def test_staff_asking_for_a_school_s_orders_find_its_trust_s_orders_with_a_line_for_it(
    shop: Shop,
) -> None:
    """Finance looking up Sandringham found only its own orders: its trust's order, named for
    Fleetville Junior (the first school on it), was missing though it bought Sandringham two
    visits."""
    order = await a_trust_order(shop)
    own = await shop.service(unit_price_pence=30_000, title="Sandringham's own purchase")
    await shop.add(own["id"], urn=SANDRINGHAM)
    placed = (await shop.checkout("invoice", urn=SANDRINGHAM)).json()

    def ids(found: httpx.Response) -> set[str]:
        assert found.status_code == 200, found.text
        return {listed["id"] for listed in found.json()}

    sandringham = await shop.orders.get("/orders", params={"urn": SANDRINGHAM}, headers=FINANCE)
    assert ids(sandringham) == {order["id"], placed["id"]}
    fleetville = await shop.orders.get(
        "/orders", params={"urn": FLEETVILLE_JUNIOR}, headers=FINANCE
    )
    assert ids(fleetville) == {order["id"]}
    elsewhere = await shop.orders.get("/orders", params={"urn": ABBOTS_LANGLEY}, headers=FINANCE)
    assert order["id"] not in ids(elsewhere)
    school = auth(Role.SCHOOL, SANDRINGHAM)  # a school still sees only its own orders
    assert ids(await shop.orders.get("/orders", headers=school)) == {placed["id"]}


async def test_a_trust_buyer_cannot_buy_or_be_quoted_for_a_school_outside_the_trust(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=30_000)
    outside = await add_for(shop, ABBOTS_LANGLEY, service["id"])
    assert outside.status_code == 403
    assert outside.json()["field"] == "urn"
    assert f"URN {ABBOTS_LANGLEY} is not a school of your trust" in outside.json()["detail"]
    quote = await shop.platform.catalogue.post(
        "/quotes",
        json={"service_id": service["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
        headers=TRUST,
    )
    assert quote.status_code == 403 and str(ABBOTS_LANGLEY) in quote.json()["detail"]
    assert (await add_for(shop, SANDRINGHAM, service["id"])).status_code == 201
    assert (await check_out_trust(shop, OTHER_TRUST)).status_code == 403
    school_checkout = await shop.orders.post(
        f"/baskets/{SANDRINGHAM}/checkout",
        json={"payment_method": "invoice", "purchase_order": "PO-1"},
        headers={**TRUST, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert school_checkout.status_code == 403  # the trust checks out as the trust


async def test_a_rolling_service_is_bought_by_the_school_itself_not_on_the_trust_s_order(
    shop: Shop,
) -> None:
    """A rolling service checked out on the trust's order was invoiced to the trust for the
    term under way and never renewed: no subscription was started. Its renewals are the
    school's own orders, invoiced to the school, so the school buys it itself."""
    payroll = await shop.payroll_service()
    refused = await add_for(shop, SANDRINGHAM, payroll["id"])
    assert refused.status_code == 422, refused.text
    assert refused.json() == {
        "detail": "Payroll bureau renews itself each term until cancelled, so the school "
        f"(URN {SANDRINGHAM}) buys it itself: it cannot go on the trust's order",
        "field": "service_id",
    }

    await shop.add(payroll["id"], urn=SANDRINGHAM)  # the school's own, in its basket
    review = await shop.service(unit_price_pence=65_000)
    assert (await add_for(shop, FLEETVILLE_JUNIOR, review["id"])).status_code == 201
    trusts = await check_out_trust(shop)  # the school's own basket is not the trust's
    assert trusts.status_code == 201, trusts.text
    assert [line["school_urn"] for line in trusts.json()["lines"]] == [FLEETVILLE_JUNIOR]

    bought = await shop.checkout("invoice", urn=SANDRINGHAM)
    assert bought.status_code == 201, bought.text
    school = auth(Role.SCHOOL, SANDRINGHAM)
    found = await shop.orders.get(
        "/rolling-subscriptions", params={"urn": SANDRINGHAM}, headers=school
    )
    assert [(row["title"], row["status"]) for row in found.json()] == [("Payroll bureau", "active")]


async def test_a_school_and_its_trust_each_check_out_only_what_each_put_in_its_basket(
    shop: Shop,
) -> None:
    """They filled one basket: the school's checkout charged it the trust's lines (at the
    trust's price), and the trust's took the school's own lines onto the trust's invoice."""
    own = await shop.service(title="Governance review", unit_price_pence=65_000)
    trusts = await shop.service(title="Improvement visit", unit_price_pence=40_000)
    await shop.add(own["id"], urn=SANDRINGHAM)  # by the school, for itself
    assert (await add_for(shop, SANDRINGHAM, trusts["id"])).status_code == 201

    as_school = auth(Role.SCHOOL, SANDRINGHAM)
    school_basket = await shop.orders.get(f"/baskets/{SANDRINGHAM}", headers=as_school)
    assert [line["title"] for line in school_basket.json()["lines"]] == ["Governance review"]
    trust_basket = await shop.orders.get(f"/baskets/{SANDRINGHAM}", headers=TRUST)
    assert [line["title"] for line in trust_basket.json()["lines"]] == ["Improvement visit"]

    bought = await shop.checkout("invoice", urn=SANDRINGHAM)
    assert bought.status_code == 201, bought.text
    assert [line["title"] for line in bought.json()["lines"]] == ["Governance review"]
    trust_order = await check_out_trust(shop)
    assert trust_order.status_code == 201, trust_order.text
    assert [(line["title"], line["school_urn"]) for line in trust_order.json()["lines"]] == [
        ("Improvement visit", SANDRINGHAM)
    ]
    for headers in (as_school, TRUST):
        emptied = await shop.orders.get(f"/baskets/{SANDRINGHAM}", headers=headers)
        assert emptied.json()["lines"] == []
