"""Who may do what: refused requests get 401/403/404/422 with a reason, and change nothing."""

from __future__ import annotations

from typing import Any

from shared.auth import Role
from tests.integration.test_path_of_money import listed_in_orders, publish_service
from tests.support.platform import (
    ABBOTS_LANGLEY,
    ASHWELL,
    Platform,
    auth,
    eventually,
    invoice_order,
)

SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)
OTHER_SCHOOL = auth(Role.SCHOOL, ASHWELL)


def order_body(service_id: str, **overrides: Any) -> dict[str, Any]:
    return {**invoice_order(service_id, purchase_order="PO-7"), **overrides}


async def nothing_was_ordered(platform: Platform) -> None:
    orders = await platform.orders.get("/orders", headers=auth(Role.ADMIN))
    assert orders.json() == []
    assert await platform.workers["orders"].relay.pending() == 0
    async with platform.services["orders"].unit_of_work() as uow:
        assert await uow.orders.find() == []


async def test_requests_without_a_valid_token_are_refused_with_401(platform: Platform) -> None:
    for client, path in (
        (platform.catalogue, "/services"),
        (platform.orders, "/orders"),
        (platform.commissioning, "/contracts"),
        (platform.ledger, "/balances"),
        (platform.evaluation, "/participants"),
    ):
        assert (await client.get(path)).status_code == 401
        forged = await client.get(path, headers={"Authorization": "Bearer not.a.token"})
        assert forged.status_code == 401
        assert "invalid token" in forged.json()["detail"]


async def test_health_and_docs_need_no_token(platform: Platform) -> None:
    for name in ("catalogue", "orders", "commissioning", "evaluation", "ledger"):
        client = platform.clients[name]
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        assert (await client.get("/readyz")).json()["status"] == "ready"
        assert (await client.get("/openapi.json")).status_code == 200
        asyncapi = (await client.get("/asyncapi.json")).json()
        assert asyncapi["asyncapi"].startswith("3.")


async def test_a_role_that_is_not_admitted_is_refused_with_403(platform: Platform) -> None:
    created = await platform.catalogue.post(
        "/services",
        json={
            "code": "X-1",
            "title": "Unwanted",
            "service_type": "course",
            "category": "CPD",
            "unit_price_pence": 1,
        },
        headers=SCHOOL,
    )
    assert created.status_code == 403
    assert "school" in created.json()["detail"]
    assert (await platform.ledger.get("/balances", headers=SCHOOL)).status_code == 403
    contracts = await platform.commissioning.get("/contracts", headers=auth(Role.CATALOGUE_ADMIN))
    assert contracts.status_code == 403
    listing = await platform.catalogue.get("/services", headers=auth(Role.ADMIN))
    assert listing.json() == []


async def test_a_school_cannot_order_for_another_school_or_see_its_orders(
    platform: Platform,
) -> None:
    service = await publish_service(platform)
    await eventually(lambda: listed_in_orders(platform, service["id"]))

    refused = await platform.orders.post(
        "/orders", json=order_body(service["id"]), headers=OTHER_SCHOOL
    )
    assert refused.status_code == 403
    assert refused.json()["field"] == "urn"
    await nothing_was_ordered(platform)

    placed = await platform.orders.post("/orders", json=order_body(service["id"]), headers=SCHOOL)
    assert placed.status_code == 201
    peek = await platform.orders.get(f"/orders/{placed.json()['id']}", headers=OTHER_SCHOOL)
    assert peek.status_code == 404
    assert (await platform.orders.get("/orders", headers=OTHER_SCHOOL)).json() == []
    mine = await platform.orders.get(f"/orders/{placed.json()['id']}", headers=SCHOOL)
    assert mine.status_code == 200


async def test_a_malformed_order_gets_a_422_naming_the_field_and_changes_nothing(
    platform: Platform,
) -> None:
    service = await publish_service(platform)
    await eventually(lambda: listed_in_orders(platform, service["id"]))

    zero = order_body(service["id"], lines=[{"service_id": service["id"], "quantity": 0}])
    response = await platform.orders.post("/orders", json=zero, headers=SCHOOL)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines.0.quantity"
    assert "lines.0.quantity" in response.json()["detail"]

    no_po = order_body(service["id"], purchase_order="  ")
    response = await platform.orders.post("/orders", json=no_po, headers=SCHOOL)
    assert response.status_code == 422
    assert response.json()["field"] == "purchase_order"

    unknown = order_body("6f1c1c7e-0000-4000-8000-000000000000")
    response = await platform.orders.post("/orders", json=unknown, headers=SCHOOL)
    assert response.status_code == 422
    assert response.json()["field"] == "lines.0.service_id"

    await nothing_was_ordered(platform)


async def test_a_milestone_beyond_the_contract_is_refused_naming_the_field(
    platform: Platform,
) -> None:
    officer = auth(Role.LA_OFFICER)
    contract = await platform.commissioning.post(
        "/contracts",
        json={
            "reference": "HCC-1",
            "title": "Intervention",
            "statutory_duty": "Part 4",
            "funding_source": "grant",
            "value_pence": 1_000,
            "start_on": "2026-04-01",
            "end_on": "2027-03-31",
        },
        headers=officer,
    )
    contract_id = contract.json()["id"]
    too_much = await platform.commissioning.post(
        f"/contracts/{contract_id}/milestones",
        json={"title": "All of it and more", "due_on": "2026-06-01", "payment_pence": 1_001},
        headers=officer,
    )
    assert too_much.status_code == 422
    assert too_much.json()["field"] == "payment_pence"
    outside = await platform.commissioning.post(
        f"/contracts/{contract_id}/milestones",
        json={"title": "Too late", "due_on": "2027-06-01", "payment_pence": 10},
        headers=officer,
    )
    assert outside.status_code == 422
    assert outside.json()["field"] == "due_on"
    backwards = await platform.commissioning.post(
        "/contracts",
        json={**contract.json(), "reference": "HCC-2", "end_on": "2026-01-01"},
        headers=officer,
    )
    assert backwards.status_code == 422
    assert backwards.json()["field"] == "end_on"
    stored = await platform.commissioning.get("/contracts", headers=officer)
    assert [(c["reference"], c["milestones"]) for c in stored.json()] == [("HCC-1", [])]
