"""The demo's earlier sales (the improvement-partner package of 2023-24 and 2024-25, behind the
seeded KS2 evaluation) are in the ledger, imported once as journals; the cost the evaluation
reports is what the ledger announced of them, to the penny."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services import registry
from services.seed.catalogue import seed_catalogue
from services.seed.evaluation import seed_evaluation
from services.seed.ks2_evaluation import ORDERED_ON, SIP_PRI_ORDERS, SIP_TITLE, earlier_sales
from services.seed.ledger import seed_ledger_history
from shared.auth import Role
from shared.events import TransactionPostedV1
from shared.service import Service
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import deliver_outbox
from tests.support.platform import auth

FINANCE = auth(Role.FINANCE)
ADMIN = auth(Role.ADMIN)


@pytest.fixture
async def services(sqlite_databases: DatabaseFactory) -> AsyncIterator[dict[str, Service[Any]]]:
    found: dict[str, Service[Any]] = {
        name: registry.service(
            name, database_url=await sqlite_databases.new(name), environment="test"
        )
        for name in ("catalogue", "evaluation", "ledger")
    }
    for service in found.values():
        await service.migrate()
    await seed_catalogue(found["catalogue"])
    yield found
    for service in found.values():
        await service.engine.dispose()


def api(service: Service[Any]) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=service.api()), base_url="http://s")


async def test_the_earlier_sales_are_income_of_their_years_imported_once(
    services: dict[str, Service[Any]],
) -> None:
    sales = await earlier_sales(services["catalogue"])
    assert len(sales) == len(SIP_PRI_ORDERS) * len(ORDERED_ON) == 22
    assert await seed_ledger_history(services["ledger"], sales) == 22
    assert await seed_ledger_history(services["ledger"], sales) == 0  # seeding twice: nothing

    async with api(services["ledger"]) as ledger:
        for year_starts, ordered_on in zip(("2023-04-01", "2024-04-01"), ORDERED_ON, strict=True):
            answer = await ledger.get(
                "/reports/traded-income",
                params={"by": "service", "start": year_starts, "as_of": f"{year_starts[:4]}-12-31"},
                headers=FINANCE,
            )
            assert answer.status_code == 200, answer.text
            (row,) = answer.json()["rows"]
            assert row["name"] == "School improvement partner package (primary)"
            assert row["income_pence"] == sum(
                sale.net_pence for sale in sales if sale.on == ordered_on
            )
        by_cfr = await ledger.get(
            "/reports/traded-income",
            params={"by": "cfr", "start": "2023-04-01", "as_of": "2024-03-31"},
            headers=FINANCE,
        )
        assert [row["cfr"] for row in by_cfr.json()["rows"]] == ["E27"]
        accounts = {
            a["code"]: a["name"] for a in (await ledger.get("/accounts", headers=FINANCE)).json()
        }
    assert accounts["traded:income:school-improvement"] == "Traded income: School improvement"


async def test_the_evaluation_s_cost_is_the_ledger_s_income_from_the_package(
    services: dict[str, Service[Any]],
) -> None:
    await seed_evaluation(services["evaluation"], services["catalogue"])
    sales = await earlier_sales(services["catalogue"])
    await seed_ledger_history(services["ledger"], sales)
    async with api(services["evaluation"]) as evaluation:
        programmes = (await evaluation.get("/programmes", headers=ADMIN)).json()
        sip = next(p for p in programmes if p["title"] == SIP_TITLE)

        async def cost() -> int:
            report = (await evaluation.get(f"/programmes/{sip['id']}/report", headers=ADMIN)).json()
            figures = {f["figure"]: f["value"] for f in report["figures"] if f["measure"] == ""}
            return int(figures["cost (pence)"])

        assert await cost() == 0  # nothing until the ledger's announcements arrive
        assert (
            await deliver_outbox(services["ledger"], services["evaluation"], TransactionPostedV1)
            == 22
        )
        assert await cost() == sum(sale.net_pence for sale in sales)
