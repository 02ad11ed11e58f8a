"""The demo data goes in through commissioning's own use cases, once."""

from __future__ import annotations

from datetime import date

from services.seed.commissioning import CASE_URN, CATEGORIES, seed_commissioning
from tests.support.commissioning_app import OFFICER, commissioning_alone
from tests.support.databases import DatabaseFactory


async def test_the_demo_seed_records_a_varied_contract_categorised_schools_and_a_supported_case(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        today = date(2026, 11, 25)
        assert await seed_commissioning(app.service, today) == 1
        assert await seed_commissioning(app.service, today) == 0

        (contract,) = (await app.client.get("/contracts", headers=OFFICER)).json()
        assert (contract["status"], contract["value_pence"]) == ("varied", 125_000_000)
        assert [v["kind"] for v in contract["variations"]] == ["value", "scope"]
        assert len(contract["milestones"]) == 3
        current = await app.client.get("/schools/categorisations/current", headers=OFFICER)
        assert {c["urn"]: c["category"] for c in current.json()} == {
            urn: int(category) for urn, (category, _) in CATEGORIES.items()
        }
        (case,) = (await app.client.get("/cases", headers=OFFICER)).json()
        assert (case["urn"], case["stage"]) == (CASE_URN, "warning_notice")
        deployments = await app.client.get("/deployments", headers=OFFICER)
        assert [d["case_id"] for d in deployments.json()] == [case["id"]]


async def test_seeded_early_in_the_contract_s_year_nothing_is_dated_before_it_or_after_today(
    sqlite_databases: DatabaseFactory,
) -> None:
    """Seeded on 3 April the case was opened on 6 March, before its contract began on 1 April;
    seeded in June the variations were approved in September and October, still to come."""
    async with commissioning_alone(sqlite_databases) as app:
        today = date(2027, 4, 3)
        await seed_commissioning(app.service, today)
        (contract,) = (await app.client.get("/contracts", headers=OFFICER)).json()
        begun = date.fromisoformat(contract["start_on"])
        assert begun == date(2027, 4, 1)
        assert all(date.fromisoformat(v["approved_on"]) <= today for v in contract["variations"])
        (case,) = (await app.client.get("/cases", headers=OFFICER)).json()
        found = (await app.client.get(f"/cases/{case['id']}", headers=OFFICER)).json()
        assert begun <= date.fromisoformat(found["opened_on"]) <= today
        happened = [entry["entered_on"] for entry in found["stages"]]
        happened += [visit["visited_on"] for visit in found["visits"]]
        assert all(begun <= date.fromisoformat(day) <= today for day in happened), found
