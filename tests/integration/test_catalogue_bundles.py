"""Bundles over HTTP, on a real database: a bundle is made only of services that go together
(one VAT rate; all subscriptions of one year or none), is quoted only when each of its services
could be bought, and a bundle of subscriptions is quoted for their term. Revising a bundle's
services goes through the spreadsheet: see test_catalogue_csv."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.catalogue.adapters.tables import services
from shared.calendar import financial_year, financial_year_term
from shared.clock import Clock
from tests.support.catalogue_fixtures import ADMIN, SCHOOL, Catalogue, catalogue_on
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY
from tests.support.tariffs import flat


@pytest.fixture
async def catalogue(sqlite_databases: DatabaseFactory) -> AsyncIterator[Catalogue]:
    async with catalogue_on(sqlite_databases) as running:
        yield running


async def part(catalogue: Catalogue, code: str, **overrides: Any) -> dict[str, Any]:
    given = {"service_type": "course", "prices": {"maintained": flat(50_000)}, **overrides}
    return await catalogue.published(code=code, **given)


def bundle(*parts: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "code": "PKG",
        "title": "Package",
        "category": "Safeguarding",
        "service_type": "bundle",
        "unit_price_pence": 0,
        "components": [found["id"] for found in parts],
        "discount_percent": 10,
        **overrides,
    }


async def test_a_bundle_of_services_that_do_not_go_together_is_refused_and_nothing_changes(
    catalogue: Catalogue,
) -> None:
    audit = await part(catalogue, "SG-AUDIT")
    exempt = await part(catalogue, "DSL-TRN", vat_rate="exempt")
    sla = await part(catalogue, "FIN-SLA", service_type="subscription")
    before = await catalogue.count(services)

    for parts, named in (((audit, exempt), "DSL-TRN (exempt)"), ((audit, sla), "FIN-SLA")):
        refused = await catalogue.client.post("/services", json=bundle(*parts), headers=ADMIN)
        assert (refused.status_code, refused.json()["field"]) == (422, "components")
        assert named in refused.json()["detail"]
    assert await catalogue.count(services) == before

    made = await catalogue.published(**bundle(audit, await part(catalogue, "SG-WHOLE")))
    repriced = await catalogue.client.put(
        f"/services/{made['id']}/prices",
        json={"prices": {"maintained": flat(0)}, "vat_rate": "exempt"},
        headers=ADMIN,
    )
    assert (repriced.status_code, repriced.json()["field"]) == (422, "components")
    kept = (await catalogue.client.get(f"/services/{made['id']}", headers=ADMIN)).json()
    assert (kept["components"], kept["vat_rate"]) == (made["components"], "standard")


async def test_a_bundle_with_a_service_from_a_suspended_provider_is_not_sold(
    catalogue: Catalogue,
) -> None:
    provider = await catalogue.client.post(
        "/providers", json={"name": "NLE associates", "kind": "nle"}, headers=ADMIN
    )
    theirs = await part(catalogue, "NLE-DAY", provider_id=provider.json()["id"])
    made = await catalogue.published(**bundle(theirs, await part(catalogue, "SG-AUDIT")))
    await catalogue.client.put(
        f"/providers/{provider.json()['id']}/qa-status",
        json={"qa_status": "suspended", "note": "QA panel, 20 November"},
        headers=ADMIN,
    )

    refused = await catalogue.client.post(
        "/quotes",
        json={"service_id": made["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
        headers=SCHOOL,
    )
    assert (refused.status_code, refused.json()["field"]) == (409, "components")
    assert "NLE associates is suspended: NLE-DAY" in refused.json()["detail"]
    shown = (await catalogue.client.get(f"/services/{made['id']}", headers=SCHOOL)).json()
    assert (shown["provider"]["name"], shown["provider"]["qa_status"]) == (
        "NLE associates",
        "suspended",
    )


async def test_a_bundle_of_subscriptions_is_quoted_for_their_term_and_listed_at_their_prices(
    catalogue: Catalogue,
) -> None:
    parts = [
        await part(catalogue, code, service_type="subscription", term="financial_year")
        for code in ("FIN-SLA", "HR-SLA")
    ]
    made = await catalogue.published(**bundle(*parts))
    quoted = await catalogue.client.post(
        "/quotes",
        json={"service_id": made["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
        headers=SCHOOL,
    )
    assert quoted.status_code == 200, quoted.text
    start, end = financial_year_term(financial_year(Clock().today()))
    found = quoted.json()
    assert (found["service_type"], found["term_start"], found["term_end"]) == (
        "bundle",
        start.isoformat(),
        end.isoformat(),
    )
    assert found["unit_price_pence"] == made["unit_price_pence"] == 90_000
    assert (
        made["prices_in_words"]["maintained"]
        == "£900.00: its services' prices (£1,000.00) less 10%"
    )
