"""Inputs a careless user or an attacker sends (issue 14): each is refused with a 422 naming the
field, nothing is stored, and no event too large for NATS ever reaches an outbox."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from uuid import uuid4

import httpx
import pytest
from openpyxl import load_workbook

from services.ledger.application.journals import JournalLine, PostJournal
from services.ledger.domain.transaction import Dimensions
from shared.auth import Role
from shared.clock import Clock
from shared.errors import TooLarge
from shared.events.commissioning import ContractSignedV1
from shared.limits import MAX_PENCE
from tests.support.platform import ABBOTS_LANGLEY, Platform, auth, invoice_order

PAST_64_BITS = 2**63
MEGABYTE = "x" * 1_000_000
CATALOGUE_ADMIN = auth(Role.CATALOGUE_ADMIN)
FINANCE = auth(Role.FINANCE)
OFFICER = auth(Role.LA_OFFICER)
SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)


def refused(response: httpx.Response, field: str) -> dict[str, Any]:
    """A 422 naming `field`, in the documented error body."""
    assert response.status_code == 422, response.text
    body = dict(response.json())
    assert body["field"] == field, body
    assert field in body["detail"]
    return body


def contract(**overrides: Any) -> dict[str, Any]:
    return {
        "reference": f"C-{uuid4().hex[:6]}",
        "title": "School improvement",
        "statutory_duty": "Education Act 1996 s13A",
        "funding_source": "council_budget",
        "value_pence": 12_000_000,
        "start_on": "2026-04-01",
        "end_on": "2027-03-31",
        **overrides,
    }


async def test_integers_past_64_bits_are_refused_in_bodies_paths_and_queries(
    platform: Platform,
) -> None:
    big = str(PAST_64_BITS)
    refused(
        await platform.catalogue.post(
            "/quotes",
            json={"service_id": str(uuid4()), "urn": PAST_64_BITS, "quantity": 1},
            headers=CATALOGUE_ADMIN,
        ),
        "urn",
    )
    refused(await platform.catalogue.get(f"/services?urn={big}", headers=CATALOGUE_ADMIN), "urn")
    refused(await platform.orders.get(f"/baskets/{big}", headers=SCHOOL), "urn")
    refused(await platform.orders.get(f"/orders?urn={big}", headers=FINANCE), "urn")
    refused(
        await platform.commissioning.get(f"/schools/{big}/categorisations", headers=OFFICER), "urn"
    )
    refused(
        await platform.commissioning.post(
            "/contracts", json=contract(value_pence=PAST_64_BITS), headers=OFFICER
        ),
        "value_pence",
    )
    refused(await platform.evaluation.get(f"/participants?urn={big}", headers=FINANCE), "urn")
    refused(await platform.ledger.get(f"/transactions?offset={big}", headers=FINANCE), "offset")
    line = {"account": "reserves", "amount_pence": PAST_64_BITS}
    body = refused(
        await platform.ledger.post(
            "/journals",
            json={"reference": "R-1", "description": "Too much", "on": "2026-04-01",
                  "lines": [line, {**line, "amount_pence": -PAST_64_BITS}]},
            headers=FINANCE,
        ),
        "lines.0.amount_pence",
    )  # fmt: skip
    assert {problem["field"] for problem in body["errors"]} == {
        "lines.0.amount_pence",
        "lines.1.amount_pence",
    }


async def test_a_quote_for_ten_to_the_400_places_is_refused(platform: Platform) -> None:
    response = await platform.catalogue.post(
        "/quotes",
        content=f'{{"service_id": "{uuid4()}", "urn": {ABBOTS_LANGLEY}, "quantity": 1{"0" * 400}}}',
        headers={**CATALOGUE_ADMIN, "content-type": "application/json"},
    )
    refused(response, "quantity")


async def test_a_search_of_50000_characters_is_refused(platform: Platform) -> None:
    response = await platform.catalogue.get(
        "/services", params={"q": "maths " * 10_000}, headers=CATALOGUE_ADMIN
    )
    refused(response, "q")


async def create_service(platform: Platform, **overrides: Any) -> dict[str, Any]:
    created = await platform.catalogue.post(
        "/services",
        json={
            "code": f"S-{uuid4().hex[:6].upper()}",
            "title": "Phonics training",
            "service_type": "course",
            "category": "CPD",
            "unit_price_pence": 25_000,
            **overrides,
        },
        headers=CATALOGUE_ADMIN,
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


async def test_a_null_in_a_service_revision_is_refused_and_changes_nothing(
    platform: Platform,
) -> None:
    service = await create_service(platform)
    url = f"/services/{service['id']}"

    refused(
        await platform.catalogue.patch(url, json={"title": None}, headers=CATALOGUE_ADMIN), "title"
    )
    refused(
        await platform.catalogue.patch(
            url, json={"description": "New words", "phases": None}, headers=CATALOGUE_ADMIN
        ),
        "phases",
    )

    after = (await platform.catalogue.get(url, headers=CATALOGUE_ADMIN)).json()
    assert (after["title"], after["description"]) == (service["title"], service["description"])
    revised = await platform.catalogue.patch(
        url, json={"title": "Phonics for Reception", "provider_id": None}, headers=CATALOGUE_ADMIN
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["title"] == "Phonics for Reception"


async def test_a_financial_year_that_is_not_one_is_refused(platform: Platform) -> None:
    for year in ("abcd", "2026-28", "2026/27"):
        response = await platform.ledger.get(
            "/reports/statutory-by-contract", params={"financial_year": year}, headers=FINANCE
        )
        refused(response, "financial_year")
    good = await platform.ledger.get(
        "/reports/statutory-by-contract", params={"financial_year": "2026-27"}, headers=FINANCE
    )
    assert good.status_code == 200, good.text


@pytest.mark.parametrize(
    ("service", "path", "field", "body"),
    [
        ("commissioning", "/contracts", "statutory_duty", contract(statutory_duty=MEGABYTE)),
        ("commissioning", "/contracts", "description", contract(description=MEGABYTE)),
        ("commissioning", "/contracts", "title", contract(title="Line\x00break")),
    ],
)
async def test_an_oversized_or_unprintable_text_is_refused_and_nothing_is_stored(
    platform: Platform, service: str, path: str, field: str, body: dict[str, Any]
) -> None:
    refused(await platform.clients[service].post(path, json=body, headers=OFFICER), field)

    assert (await platform.commissioning.get("/contracts", headers=OFFICER)).json() == []
    assert await platform.workers["commissioning"].relay.pending() == 0


async def test_an_oversized_reason_or_service_description_is_refused(platform: Platform) -> None:
    signed = await platform.commissioning.post("/contracts", json=contract(), headers=OFFICER)
    assert signed.status_code == 201, signed.text
    variation = {
        "kind": "scope",
        "reason": MEGABYTE,
        "approved_by": "Director of Children's Services",
        "approved_on": "2026-05-01",
        "scope": "Adds early years",
    }
    refused(
        await platform.commissioning.post(
            f"/contracts/{signed.json()['id']}/variations", json=variation, headers=OFFICER
        ),
        "reason",
    )
    refused(
        await platform.catalogue.post(
            "/services",
            json={"code": "BIG-1", "title": "Big", "service_type": "course", "category": "CPD",
                  "unit_price_pence": 1, "description": MEGABYTE},
            headers=CATALOGUE_ADMIN,
        ),
        "description",
    )  # fmt: skip
    contract_now = await platform.commissioning.get(
        f"/contracts/{signed.json()['id']}", headers=OFFICER
    )
    assert contract_now.json()["variations"] == []
    assert (await platform.catalogue.get("/services", headers=CATALOGUE_ADMIN)).json() == []


async def test_an_event_too_large_to_publish_is_refused_when_recorded(platform: Platform) -> None:
    service = platform.services["commissioning"]
    signed = ContractSignedV1(
        contract_id=uuid4(),
        reference="C-1",
        title="School improvement",
        statutory_duty="Education Act 1996 s13A",
        funding_source="council_budget",
        value_pence=1,
        start_on=date(2026, 4, 1),
        end_on=date(2027, 3, 31),
    )

    with pytest.raises(TooLarge, match="over the 900,000 the message bus carries"):
        async with service.unit_of_work() as uow:
            uow.record(signed)
            uow.record(signed.model_copy(update={"statutory_duty": "x" * 1_000_000}))
            await uow.commit()

    assert await platform.workers["commissioning"].relay.pending() == 0


async def test_an_xlsx_export_leaves_out_control_characters_in_stored_text(
    platform: Platform,
) -> None:
    # Text the ledger did not type itself (from another service, or stored before the bounds)
    entry = PostJournal(
        reference="RES-1",
        description="Opening\x01 reserves\x0b",
        on=Clock().today(),
        lines=[
            JournalLine("bank", 5_000, Dimensions()),
            JournalLine("reserves", -5_000, Dimensions()),
        ],
    )
    await platform.services["ledger"].bus.handle(entry)

    exported = await platform.ledger.get(
        "/reports/accounts/reserves/statement", params={"format": "xlsx"}, headers=FINANCE
    )

    assert exported.status_code == 200, exported.text
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert "Opening reserves" in [cell.value for row in sheet.iter_rows() for cell in row]


async def test_a_statement_of_an_account_named_outside_latin_1_is_not_a_server_error(
    platform: Platform,
) -> None:
    exported = await platform.ledger.get(
        "/reports/accounts/\u0100/statement", params={"format": "csv"}, headers=FINANCE
    )

    assert exported.status_code < 500, exported.text


async def test_a_price_past_100_million_pounds_is_refused(platform: Platform) -> None:
    response = await platform.catalogue.post(
        "/services",
        json={"code": "DEAR-1", "title": "Dear", "service_type": "course", "category": "CPD",
              "prices": {"maintained": {"kind": "flat", "pence": PAST_64_BITS}}},
        headers=CATALOGUE_ADMIN,
    )  # fmt: skip

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "prices.maintained.flat.pence"
    assert "10000000000" in response.json()["detail"]
    assert (await platform.catalogue.get("/services", headers=CATALOGUE_ADMIN)).json() == []


async def test_amounts_up_to_100_million_pounds_are_stored_past_32_bits(
    platform: Platform,
) -> None:
    created = await platform.commissioning.post(
        "/contracts", json=contract(value_pence=MAX_PENCE), headers=OFFICER
    )
    assert created.status_code == 201, created.text
    kpi = {"title": "Visits on time", "target": 95, "service_credit_pence": MAX_PENCE}
    added = await platform.commissioning.post(
        f"/contracts/{created.json()['id']}/kpis", json=kpi, headers=OFFICER
    )

    assert added.status_code == 201, added.text
    assert (created.json()["value_pence"], added.json()["service_credit_pence"]) == (
        MAX_PENCE,
        MAX_PENCE,
    )


async def test_a_service_at_100_million_pounds_is_stored_and_ordered(platform: Platform) -> None:
    body = {"code": "DEAR-2", "title": "Dear", "service_type": "consultancy",
            "category": "Governance", "unit_price_pence": MAX_PENCE, "vat_rate": "standard"}  # fmt: skip
    created = await platform.catalogue.post("/services", json=body, headers=CATALOGUE_ADMIN)
    assert created.status_code == 201, created.text
    service_id = created.json()["id"]
    published = await platform.catalogue.post(
        f"/services/{service_id}/publish", headers=CATALOGUE_ADMIN
    )
    assert published.status_code == 200, published.text

    ordered = await platform.orders.post(
        "/orders", json=invoice_order(service_id, purchase_order="PO-DEAR"), headers=SCHOOL
    )

    assert ordered.status_code == 201, ordered.text
    assert ordered.json()["invoice"]["net_pence"] == MAX_PENCE


@pytest.mark.parametrize(
    "correlation_id", ["x" * 101, "order 7; DROP TABLE", "ticket 7 (retry)", "x" * 60_000]
)
async def test_a_correlation_id_no_event_could_carry_whole_is_refused_and_changes_nothing(
    platform: Platform, correlation_id: str
) -> None:
    """Every event a request causes carries its caller's correlation id: one of 60,000
    characters rode on each of them, and the audit kept a tenth of one of 1,000."""
    code = f"SVC-{uuid4().hex[:6].upper()}"
    asked = await platform.catalogue.post(
        "/services",
        json={
            "code": code,
            "title": "Governance review",
            "service_type": "consultancy",
            "category": "Governance",
            "unit_price_pence": 65_000,
            "vat_rate": "standard",
        },
        headers={**CATALOGUE_ADMIN, "X-Correlation-ID": correlation_id},
    )
    assert asked.status_code == 400, asked.text
    assert asked.json()["field"] == "x-correlation-id"
    assert asked.json()["detail"].startswith("X-Correlation-ID: at most 100 letters")
    listed = await platform.catalogue.get("/services", params={"q": code}, headers=CATALOGUE_ADMIN)
    assert code not in listed.text

    kept = await platform.catalogue.get(
        "/services", headers={**CATALOGUE_ADMIN, "X-Correlation-ID": "portal:req-7_a.b"}
    )
    assert kept.headers["x-correlation-id"] == "portal:req-7_a.b"


async def test_a_session_sent_with_an_order_placed_straight_from_services_is_refused(
    platform: Platform,
) -> None:
    """It was dropped unsaid: the course was bought with no session and no place booked."""
    service = await create_service(platform)
    body = invoice_order(service["id"], purchase_order="PO-SESSION")
    body["lines"][0]["session_id"] = str(uuid4())
    answer = await platform.orders.post("/orders", json=body, headers=SCHOOL)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "lines.0.session_id"
    mine = await platform.orders.get("/orders", headers=SCHOOL)
    assert all(order["purchase_order"] != "PO-SESSION" for order in mine.json())
