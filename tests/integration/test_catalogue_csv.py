"""The catalogue spreadsheet: loaded whole or not at all, and saved back the same."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from services.catalogue.adapters.catalogue_csv import write_catalogue
from services.catalogue.adapters.tables import price_versions, services
from services.seed.catalogue import CATALOGUE_CSV, PROVIDERS, SeedCalendar, seed_catalogue
from shared.calendar import years_on_sale
from shared.tariffs import TARIFF_KINDS
from tests.support.catalogue_fixtures import ADMIN, SCHOOL, Catalogue, catalogue_on
from tests.support.databases import DatabaseFactory

CSV = {**ADMIN, "content-type": "text/csv"}


@pytest.fixture
async def catalogue(sqlite_databases: DatabaseFactory) -> AsyncIterator[Catalogue]:
    async with catalogue_on(sqlite_databases, schools=False) as running:
        yield running


def rows(text: str) -> list[dict[str, str]]:
    """The sheet's rows; a cell a row leaves off at its end reads as blank."""
    found = (
        {name: value or "" for name, value in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    )
    return sorted(found, key=lambda row: row["code"])


def without_cfr(row: dict[str, str]) -> dict[str, str]:
    return {column: value for column, value in row.items() if column != "cfr_code"}


async def export(catalogue: Catalogue) -> str:
    response = await catalogue.client.get("/services/export.csv", headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return response.text


async def test_the_seed_catalogue_saves_and_loads_back_unchanged(catalogue: Catalogue) -> None:
    added = await seed_catalogue(catalogue.service)
    assert added >= 40
    saved = await export(catalogue)
    # the seed spreadsheet leaves the CFR codes out: each service takes its kind's usual code;
    # what it sells for 2026/27 is sold for this academic year and the next
    years = ";".join(SeedCalendar.from_today(catalogue.service.clock.today()).years)
    seeded = [
        {**row, "academic_years": years} if row["academic_years"] else row
        for row in rows(CATALOGUE_CSV.read_text())
    ]
    assert [without_cfr(row) for row in rows(saved)] == seeded
    assert {row["code"]: row["cfr_code"] for row in rows(saved)}["FIN-SLA"] == "E28a"

    loaded = await catalogue.client.post("/services/import.csv", content=saved, headers=CSV)
    assert loaded.json() == {"created": 0, "changed": 0, "unchanged": added}
    assert await export(catalogue) == saved


async def test_seeded_services_are_announced_with_provider_and_a_bundle_with_its_base_price(
    catalogue: Catalogue,
) -> None:
    await seed_catalogue(catalogue.service)
    published = await catalogue.published_events()
    assert len(published) == 47  # all but the one draft
    assert published["GOV-CLERK"]["provider_name"] == "Governance services"
    assert published["SIP-PRI"]["phases"] == ["primary", "nursery"]
    years = SeedCalendar.from_today(catalogue.service.clock.today()).years
    assert published["SIP-PRI"]["academic_years"] == list(years)
    # finance £1,850 + HR £1,650 + payroll £600 (each part's lowest price), less 8%
    assert published["PKG-BUS"]["unit_price_pence"] == 377_200
    assert published["IT-MIS"]["prices"]["maintained"]["kind"] == "per_pupil_by_phase"


async def test_the_seed_catalogue_covers_every_type_and_the_companys_categories(
    catalogue: Catalogue,
) -> None:
    await seed_catalogue(catalogue.service)
    listed = (
        await catalogue.client.get("/services", params={"page_size": 200}, headers=SCHOOL)
    ).json()
    assert {s["service_type"] for s in listed} == {
        "subscription",
        "course",
        "consultancy",
        "bundle",
        "rolling",
    }
    assert {"School improvement", "CPD and leadership", "Governance", "Finance", "HR", "IT"} <= {
        s["category"] for s in listed
    }
    priced = [s for s in listed if s["status"] == "published"]
    assert all(s["price_for_school"] for s in priced)
    kinds = {
        tariff["kind"] for s in listed for tariff in s["prices"].values() if tariff is not None
    }
    assert kinds == set(TARIFF_KINDS)
    courses = [s for s in listed if s["service_type"] == "course"]
    sessions = await catalogue.client.get(f"/services/{courses[0]['id']}/sessions", headers=SCHOOL)
    assert len(sessions.json()) == 2


async def school_s_prices(catalogue: Catalogue, **year: str) -> dict[str, dict[str, Any]]:
    listed = await catalogue.client.get(
        "/services", params={"page_size": 200, **year}, headers=SCHOOL
    )
    assert listed.status_code == 200, listed.text
    return {s["code"]: s for s in listed.json() if s["status"] == "published"}


@pytest.mark.parametrize("seeded_on", [date(2026, 12, 6), date(2027, 5, 10)])
async def test_the_seed_sells_its_subscriptions_for_next_year_at_this_year_s_prices(
    catalogue: Catalogue, seeded_on: date
) -> None:
    """The seed sets next academic year's price list, as the catalogue team sets one: without
    it, next year's shop sold no subscription, nor could the buy-back renew one. Each list
    starts on the first day its subscription is bought for then (1 September; 1 April for one
    sold by the financial year, unless that year is under way when seeded)."""
    catalogue.service.clock.set(seeded_on)
    await seed_catalogue(catalogue.service)
    next_year = years_on_sale(seeded_on)[1]

    today = await school_s_prices(catalogue)
    for_next_year = await school_s_prices(catalogue, academic_year=next_year)

    sold_by_the_year = {code for code, s in for_next_year.items() if s["for_year"]}
    assert {"SIP-PRI", "FIN-SLA", "PKG-LEAD", "PKG-BUS"} <= sold_by_the_year
    for code in sold_by_the_year:
        sale = for_next_year[code]["for_year"]
        assert sale["on_sale"], sale["refused"]
        assert (
            for_next_year[code]["price_for_school"]["unit_price_pence"]
            == today[code]["price_for_school"]["unit_price_pence"]
        ), code
    finance = for_next_year["FIN-SLA"]["for_year"]
    assert (finance["term_start"], finance["term_end"]) == (
        f"{next_year[:4]}-04-01",
        f"{int(next_year[:4]) + 1}-03-31",
    )
    improvement = for_next_year["SIP-PRI"]["for_year"]
    assert improvement["term_start"] == f"{next_year[:4]}-09-01"


async def test_an_import_creates_updates_and_publishes_with_one_event_each(
    catalogue: Catalogue,
) -> None:
    clerking = {"code": "GOV-CLERK", "title": "Governor clerking service",
                "service_type": "subscription", "category": "Governance",
                "academic_years": "2026/27", "term": "academic_year", "status": "published",
                "maintained_tariff": "flat", "maintained_pence": "180000",
                "academy_tariff": "flat", "academy_pence": "195000",
                "out_of_area_tariff": "per_pupil", "out_of_area_per_pupil_pence": "450",
                "out_of_area_minimum_pence": "60000"}  # fmt: skip
    induction = {"code": "GOV-IND", "title": "New governor induction", "service_type": "course",
                 "category": "Governance", "vat_rate": "exempt", "status": "draft",
                 "maintained_tariff": "flat", "maintained_pence": "8500"}  # fmt: skip
    first = write_catalogue([clerking, induction])
    loaded = await catalogue.client.post("/services/import.csv", content=first, headers=CSV)
    assert loaded.json() == {"created": 2, "changed": 0, "unchanged": 0}
    second = write_catalogue(
        [{**clerking, "maintained_pence": "185000"}, {**induction, "status": "published"}]
    )
    loaded = await catalogue.client.post("/services/import.csv", content=second, headers=CSV)
    assert loaded.json() == {"created": 0, "changed": 2, "unchanged": 0}
    assert await catalogue.outbox() == [
        "catalogue.service.published.v1",  # GOV-CLERK, created published
        "catalogue.service.updated.v1",  # GOV-CLERK, repriced
        "catalogue.service.published.v1",  # GOV-IND, published by the second file
    ]
    assert await catalogue.count(price_versions) == 3


async def test_a_title_a_spreadsheet_would_run_is_exported_marked_and_imported_as_typed(
    catalogue: Catalogue,
) -> None:
    typed = "=Maths mastery"
    row = {"code": "CPD-EQ", "title": typed, "service_type": "course", "category": "CPD",
           "status": "draft", "maintained_tariff": "flat", "maintained_pence": "9500"}  # fmt: skip
    file = write_catalogue([row])
    assert "'=Maths mastery" in file.splitlines()[1]  # a spreadsheet shows it, never runs it
    loaded = await catalogue.client.post("/services/import.csv", content=file, headers=CSV)
    assert loaded.json() == {"created": 1, "changed": 0, "unchanged": 0}
    (exported,) = [r for r in rows(await export(catalogue)) if r["code"] == "CPD-EQ"]
    assert exported["title"] == "'=Maths mastery"
    again = await catalogue.client.post(
        "/services/import.csv", content=await export(catalogue), headers=CSV
    )
    assert again.json() == {"created": 0, "changed": 0, "unchanged": 1}  # the title as typed
    listed = await catalogue.client.get("/services", params={"q": "mastery"}, headers=ADMIN)
    assert typed in listed.text


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            (",subscription,School improvement,", ",subscriptions,School improvement,"),
            "line 2, column service_type",
        ),
        (
            ("0:265000;151:325000", "0:265000;0:325000"),
            "line 2, column maintained_bands: Value error, each band must start above",
        ),
        (
            ("0:265000;151:325000", f"0:{2**63};151:325000"),
            "line 2, column maintained_bands",
        ),
        (("0:265000;151:325000", "0-150 265000"), "line 2, column maintained_bands"),
        (("published,banded_by_pupils", "published,bands"), "line 2, column maintained_tariff"),
        (
            ("day_rate,62500,35000,,", "day_rate,62500,35000,1,"),
            "line 5, column maintained_per_pupil_pence: Extra inputs are not permitted",
        ),
        (
            (",subscription,School improvement,", f",subscription,{'School improvement' * 4},"),
            "line 2, column category",
        ),
        (("primary;nursery", "primary;infant"), "line 2, column phases"),
        (
            ("primary;nursery,2026/27,", "primary;nursery,next year,"),
            "line 2, column academic_years: 'next year': String should match pattern",
        ),
        (
            ("primary;nursery,2026/27,", "primary;nursery,2026/27;9999/00,"),
            "line 2, column academic_years: '9999/00': Value error, the year must be between",
        ),
        (
            ("SIP-PRI,School", f"{'X' * 50},School"),
            "line 2, column code: String should have at most 40 characters",
        ),
        (
            ("SIP-PRI,School", "lower case code!,School"),
            "line 2, column code: String should match pattern",
        ),
        (("SIP-PRI;GOV-SLA", "SIP-PRI;gov sla"), "line 46, column components: 'gov sla'"),
        (("NLE associates", "Nobody we know"), "line 7, column provider"),
        (("SIP-PRI;GOV-SLA", "SIP-PRI;NO-SUCH"), "line 46, column components"),
        (("SG-AUDIT;SG-WHOLE", "SG-AUDIT;DSL-TRN"), "line 48, column components: the bundle"),
        (("SIP-PRI;GOV-SLA;DATA-SLA", "SIP-PRI;FIN-SLA"), "line 46, column components: a"),
        (("IT-ONLINE", "IT-DAY"), "line 45, column code"),
        (("IT-ONLINE,", f'"{"x" * 200_000}",'), "line 45: not readable as CSV"),
        (("code,title", "\r{code,title"), "line 1: missing column(s) code"),  # a bare CR
    ],
)
async def test_a_bad_row_is_reported_by_line_and_column_and_nothing_is_imported(
    catalogue: Catalogue, broken: tuple[str, str], message: str
) -> None:
    for name, kind, _, _ in PROVIDERS:
        await catalogue.client.post("/providers", json={"name": name, "kind": kind}, headers=ADMIN)
    text = CATALOGUE_CSV.read_text().replace(*broken)
    loaded = await catalogue.client.post("/services/import.csv", content=text, headers=CSV)
    assert loaded.status_code == 422
    assert loaded.json()["field"] == "file"
    assert loaded.json()["detail"].startswith(message)
    assert await catalogue.count(services) == 0
    assert await catalogue.outbox() == []


async def test_a_bundle_revised_to_services_that_do_not_go_together_is_refused(
    catalogue: Catalogue,
) -> None:
    await seed_catalogue(catalogue.service)
    saved = await export(catalogue)
    revised = saved.replace("SG-AUDIT;SG-WHOLE", "SG-AUDIT;DSL-TRN")
    loaded = await catalogue.client.post("/services/import.csv", content=revised, headers=CSV)
    assert loaded.status_code == 422
    assert "column components: the bundle is standard-rated for VAT" in loaded.json()["detail"]
    assert await export(catalogue) == saved
