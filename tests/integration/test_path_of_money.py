"""The first real path of money: catalogue → orders → ledger (traded), commissioning → ledger
(statutory), orders → evaluation; over HTTP and NATS JetStream, on a real database."""

from __future__ import annotations

from typing import Any

from shared.auth import Role
from tests.support.platform import ABBOTS_LANGLEY, Platform, auth, eventually, invoice_order

ADMIN = auth(Role.CATALOGUE_ADMIN)
SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)
FINANCE = auth(Role.FINANCE)
OFFICER = auth(Role.LA_OFFICER)


async def publish_service(platform: Platform, **overrides: Any) -> dict[str, Any]:
    body = {
        "code": "ML-PROG",
        "title": "Middle leadership programme",
        "service_type": "course",
        "category": "CPD and leadership",
        "unit_price_pence": 59_999,
        "vat_rate": "standard",
        **overrides,
    }
    created = await platform.catalogue.post("/services", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    published = await platform.catalogue.post(
        f"/services/{created.json()['id']}/publish", headers=ADMIN
    )
    assert published.status_code == 200, published.text
    return dict(published.json())


async def listed_in_orders(platform: Platform, service_id: str) -> bool:
    listings = await platform.orders.get("/listings", headers=SCHOOL)
    return any(listing["service_id"] == service_id for listing in listings.json())


async def place_invoice_order(platform: Platform, service_id: str, quantity: int) -> dict[str, Any]:
    response = await platform.orders.post(
        "/orders",
        json=invoice_order(service_id, purchase_order="PO-2026-0042", quantity=quantity),
        headers=SCHOOL,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def fulfil(platform: Platform, order_id: str) -> None:
    """Staff record the order delivered: what it sold is earned now."""
    done = await platform.orders.post(f"/orders/{order_id}/fulfil", headers=auth(Role.ADMIN))
    assert done.status_code == 200, done.text


async def balances(platform: Platform) -> dict[str, int]:
    response = await platform.ledger.get("/balances", headers=FINANCE)
    assert response.status_code == 200, response.text
    return {row["code"]: row["balance_pence"] for row in response.json()}


async def test_a_school_invoice_order_ends_in_the_ledger_as_traded_income(
    platform: Platform,
) -> None:
    service = await publish_service(platform)
    await eventually(lambda: listed_in_orders(platform, service["id"]))

    order = await place_invoice_order(platform, service["id"], quantity=3)

    # 3 × £599.99 = £1,799.97 net; VAT 20% = £359.994 → £359.99 (half-up); gross £2,159.96
    assert (order["net_pence"], order["vat_pence"], order["gross_pence"]) == (
        179_997,
        35_999,
        215_996,
    )
    assert order["payment_status"] == "invoiced"
    assert order["invoice"]["number"] == "INV-000001"

    async def posted() -> dict[str, int]:
        found = await balances(platform)
        return found if "receivables:schools" in found else {}

    book = await eventually(posted)
    assert book["receivables:schools"] == 215_996
    # no session booked, nothing delivered yet: refunded in full if cancelled, so not earned
    assert book["deferred-income"] == -179_997
    assert book["vat:output"] == -35_999

    await fulfil(platform, order["id"])

    async def earned() -> dict[str, int]:
        found = await balances(platform)
        return found if "traded:income:cpd-and-leadership" in found else {}

    book = await eventually(earned)
    assert book["traded:income:cpd-and-leadership"] == -179_997
    assert book["deferred-income"] == 0  # nothing left waiting

    trial = (await platform.ledger.get("/reports/trial-balance", headers=FINANCE)).json()
    totals = {key: trial[key] for key in ("debits_pence", "credits_pence", "difference_pence")}
    assert totals == {"debits_pence": 215_996, "credits_pence": 215_996, "difference_pence": 0}

    async def participant() -> list[dict[str, Any]]:
        response = await platform.evaluation.get(
            "/participants", params={"service_id": service["id"]}, headers=auth(Role.EVALUATOR)
        )
        return list(response.json())

    (participation,) = await eventually(participant)
    assert participation["urn"] == ABBOTS_LANGLEY
    assert participation["school_name"] == "Abbots Langley School"
    assert participation["phase"] == "Primary"


async def test_an_la_milestone_ends_in_the_ledger_as_statutory_income_apart_from_traded(
    platform: Platform,
) -> None:
    service = await publish_service(
        platform, unit_price_pence=325_000, category="School improvement"
    )
    await eventually(lambda: listed_in_orders(platform, service["id"]))
    sold = await place_invoice_order(platform, service["id"], quantity=1)
    await fulfil(platform, sold["id"])

    contract = await platform.commissioning.post(
        "/contracts",
        json={
            "reference": "HCC-SI-2026",
            "title": "Schools causing concern: monitoring and intervention",
            "statutory_duty": "Education and Inspections Act 2006, Part 4",
            "funding_source": "council_budget",
            "value_pence": 12_000_000,
            "start_on": "2026-04-01",
            "end_on": "2027-03-31",
        },
        headers=OFFICER,
    )
    assert contract.status_code == 201, contract.text
    contract_id = contract.json()["id"]
    milestone = await platform.commissioning.post(
        f"/contracts/{contract_id}/milestones",
        json={
            "title": "Autumn monitoring visits",
            "due_on": "2026-12-18",
            "payment_pence": 3_000_001,
        },
        headers=OFFICER,
    )
    assert milestone.status_code == 201, milestone.text
    signed = await platform.commissioning.post(
        f"/contracts/{contract_id}/milestones/{milestone.json()['id']}/complete",
        json={"evidence": "Visit notes for the autumn term"},
        headers=OFFICER,
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["invoice"]["number"] == "LA-000001"
    assert signed.json()["invoice"]["gross_pence"] == 3_600_001

    async def both_posted() -> dict[str, Any]:
        response = await platform.ledger.get("/reports/income-by-strand", headers=FINANCE)
        body = response.json()
        return body if body["traded_pence"] and body["statutory_pence"] else {}

    income = await eventually(both_posted)
    assert {key: income[key] for key in ("traded_pence", "statutory_pence", "total_pence")} == {
        "traded_pence": 325_000,
        "statutory_pence": 3_000_001,
        "total_pence": 3_325_001,
    }
    book = await balances(platform)
    assert book["receivables:la"] == 3_600_001  # £30,000.01 + VAT £6,000.00 (0.002p rounds down)
    assert book["statutory:income:hcc-si-2026"] == -3_000_001
    assert book["receivables:schools"] == 390_000
    assert book["vat:output"] == -(65_000 + 600_000)
    assert sum(book.values()) == 0

    transactions = (await platform.ledger.get("/transactions", headers=FINANCE)).json()
    strands = {t["source_subject"]: t["strand"] for t in transactions}
    # the delivery's own entry, unless the ledger heard of it before the invoice, whose
    # entries then earned the income on the day delivered
    assert strands.pop("orders.order.fulfilled.v1", "traded") == "traded"
    assert strands == {
        "orders.invoice.raised.v1": "traded",
        "commissioning.invoice.raised.v1": "statutory",
    }
