"""The catalogue keeps each service's CFR code, refuses one not on the DfE's list, and quotes
with it; the spreadsheet carries it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.catalogue.adapters.catalogue_csv import write_catalogue
from services.catalogue.adapters.tables import services
from tests.support.catalogue_fixtures import ADMIN, SCHOOL, Catalogue, catalogue_on
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY

CSV = {**ADMIN, "content-type": "text/csv"}


@pytest.fixture
async def catalogue(sqlite_databases: DatabaseFactory) -> AsyncIterator[Catalogue]:
    async with catalogue_on(sqlite_databases) as running:
        yield running


async def test_a_service_is_quoted_with_the_cfr_code_the_admin_gave_it(
    catalogue: Catalogue,
) -> None:
    service = await catalogue.published(category="Data and assessment", cfr_code="E28a")
    assert (service["cfr_code"], service["cfr_title"]) == (
        "E28a",
        "Bought-in professional services – other (except PFI)",
    )
    quote = await catalogue.client.post(
        "/quotes",
        json={"service_id": service["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
        headers=SCHOOL,
    )
    assert quote.status_code == 200, quote.text
    assert quote.json()["cfr_code"] == "E28a"

    revised = await catalogue.client.patch(
        f"/services/{service['id']}", json={"cfr_code": "E27"}, headers=ADMIN
    )
    assert revised.json()["cfr_code"] == "E27"


async def test_a_code_not_on_the_list_is_refused_naming_the_field_and_nothing_is_stored(
    catalogue: Catalogue,
) -> None:
    refused = await catalogue.client.post(
        "/services",
        json={
            "code": "GOV-REV",
            "title": "External review of governance",
            "service_type": "consultancy",
            "category": "Governance",
            "unit_price_pence": 95_000,
            "cfr_code": "E99",
        },
        headers=ADMIN,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "cfr_code"
    assert "E99" in refused.json()["detail"]
    assert await catalogue.count(services) == 0


async def test_the_spreadsheet_carries_the_code_and_names_the_line_of_a_wrong_one(
    catalogue: Catalogue,
) -> None:
    good = {"code": "GOV-REV", "title": "Review of governance", "service_type": "consultancy",
            "category": "Governance", "vat_rate": "standard", "status": "draft",
            "maintained_tariff": "day_rate", "maintained_pence": "95000"}  # fmt: skip
    without_codes = await catalogue.client.post(
        "/services/import.csv", content=write_catalogue([good]), headers=CSV
    )
    assert without_codes.status_code == 200, without_codes.text
    exported = (await catalogue.client.get("/services/export.csv", headers=ADMIN)).text
    assert exported.splitlines()[0].endswith(",cfr_code")
    assert exported.splitlines()[1].endswith(",E28a")  # governance's usual code

    second = {**good, "code": "GOV-IND", "cfr_code": "E33"}
    wrong = await catalogue.client.post(
        "/services/import.csv",
        content=write_catalogue([{**good, "cfr_code": "E27"}, second]),
        headers=CSV,
    )
    assert wrong.status_code == 422, wrong.text
    assert wrong.json()["detail"].startswith("line 3, column cfr_code: E33 is not a CFR")
    exported_again = (await catalogue.client.get("/services/export.csv", headers=ADMIN)).text
    assert exported_again == exported  # the good row before it changed nothing either
