"""The demo's earlier sales (the improvement-partner package of 2023-24 and 2024-25, behind the
seeded KS2 evaluation) are in the ledger, imported once as journals; the cost the evaluation
reports is what the ledger announced of them, to the penny; and the programme, ended with the
school year of its results, takes in no later sale."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services import registry
from services.seed.catalogue import seed_catalogue
from services.seed.evaluation import seed_evaluation
from services.seed.ks2_evaluation import ORDERED_ON, SIP_PRI_ORDERS, SIP_TITLE, earlier_sales
from services.seed.ledger import seed_ledger_history
from shared.auth import Role
from shared.calendar import financial_year
from shared.clock import Clock
from shared.events import Envelope, TransactionPostedV1
from shared.events.ledger import PostingV1
from shared.messaging.consumer import apply_once
from shared.money import Strand, monthly_parts
from shared.service import Service
from tests.support import ledger_events as ev
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

    async def income(ledger: httpx.AsyncClient, start: str, as_of: str) -> int:
        answer = await ledger.get(
            "/reports/traded-income",
            params={"by": "service", "start": start, "as_of": as_of},
            headers=FINANCE,
        )
        assert answer.status_code == 200, answer.text
        rows = answer.json()["rows"]
        assert all(r["name"] == "School improvement partner package (primary)" for r in rows)
        return sum(int(row["income_pence"]) for row in rows)

    def months(ordered_on: date, first: int, last: int) -> int:
        """The income of these months (1: September) of that year's packages, as a sale's
        twelve monthly parts spread it."""
        return sum(
            sum(monthly_parts(sale.net_pence, 12)[first - 1 : last])
            for sale in sales
            if sale.on == ordered_on
        )

    async with api(services["ledger"]) as ledger:
        # earned month by month, never on the day sold: the financial year 2023-24 holds
        # September to March of 2023's packages, 2024-25 April to August of them and
        # September to March of 2024's
        assert await income(ledger, "2023-04-01", "2023-09-29") == 0
        assert await income(ledger, "2023-04-01", "2024-03-31") == months(ORDERED_ON[0], 1, 7)
        assert await income(ledger, "2024-04-01", "2025-03-31") == months(
            ORDERED_ON[0], 8, 12
        ) + months(ORDERED_ON[1], 1, 7)
        assert await income(ledger, "2025-04-01", "2026-03-31") == months(ORDERED_ON[1], 8, 12)
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


async def test_the_earlier_sales_are_traded_sales_so_their_schools_count_as_buyers(
    services: dict[str, Service[Any]],
) -> None:
    """Imported as money at the bank and income deferred (no account of a strand), they were
    the company's core: the dashboard's buy-back then showed no primary buying in 2024-25,
    beside those schools' income."""
    sales = await earlier_sales(services["catalogue"])
    await seed_ledger_history(services["ledger"], sales)

    async with services["ledger"].unit_of_work() as uow:
        for start, end in (
            (date(2023, 4, 1), date(2024, 3, 31)),
            (date(2024, 4, 1), date(2025, 3, 31)),
        ):
            bought = {sale.urn for sale in sales if start <= sale.on <= end}
            assert bought
            assert await uow.reports.buyers(start=start, end=end) == bought
    async with api(services["ledger"]) as ledger:
        journal = (await ledger.get("/journal", headers=FINANCE)).json()
    sold = [entry for entry in journal if entry["reference"] == sales[0].reference]
    assert len(sold) == 13  # the sale and its twelve months, each the traded strand's
    assert {entry["strand"] for entry in sold} == {Strand.TRADED}


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
            == 22 * 13  # each sale (traded: money at the bank, income deferred), each month
        )
        assert await cost() == sum(sale.net_pence for sale in sales)


async def test_a_package_bought_today_is_no_part_of_the_programme_that_ended_in_2025(
    services: dict[str, Service[Any]],
) -> None:
    """The KS2 programme ends on 31 August 2025, the school year its results are from: a school
    buying the package now neither joins it nor adds to its cost."""
    await seed_evaluation(services["evaluation"], services["catalogue"])
    sales = await earlier_sales(services["catalogue"])
    await seed_ledger_history(services["ledger"], sales)
    await deliver_outbox(services["ledger"], services["evaluation"], TransactionPostedV1)
    evaluation = services["evaluation"]
    async with api(evaluation) as client:
        sip = next(
            p
            for p in (await client.get("/programmes", headers=ADMIN)).json()
            if p["title"] == SIP_TITLE
        )
        assert (sip["starts_on"], sip["ends_on"]) == ("2023-09-01", "2025-08-31")

        async def report() -> dict[str, Any]:
            found = await client.get(f"/programmes/{sip['id']}/report", headers=ADMIN)
            return dict(found.json())

        before = await report()
        today = Clock().today()
        package = ev.line(325_000).model_copy(update={"service_id": sales[0].service_id})
        bought = ev.invoice_raised(117083, today, package, number="INV-000042")
        income = TransactionPostedV1(
            transaction_id=uuid4(),
            source_event_id=uuid4(),
            source_subject=bought.subject,
            strand=Strand.TRADED,
            description="Income recognised on its day",
            posted_on=today,
            financial_year=financial_year(today),
            postings=(
                PostingV1(
                    account="traded:income:school-improvement",
                    amount_pence=-27_084,
                    urn=117083,
                    service_id=str(sales[0].service_id),
                ),
                PostingV1(account="deferred-income", amount_pence=27_084, urn=117083),
            ),
        )
        for event in (bought, income):
            await apply_once(
                Envelope.of(event), uow_factory=evaluation.unit_of_work, apply=evaluation.bus.apply
            )
        after = await report()
        assert after["participating_schools"] == before["participating_schools"] == 11
        assert after["figures"] == before["figures"]  # cost, pupils, effects: as they were
        assert 117083 not in {p["urn"] for p in after["participants"]}


async def test_a_programme_cannot_end_before_it_starts(services: dict[str, Service[Any]]) -> None:
    sales = await earlier_sales(services["catalogue"])
    async with api(services["evaluation"]) as client:
        refused = await client.post(
            "/programmes",
            json={
                "title": "Backwards",
                "starts_on": "2026-09-01",
                "ends_on": "2026-08-31",
                "links": [{"kind": "service", "target_id": str(sales[0].service_id)}],
            },
            headers=auth(Role.EVALUATOR),
        )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "ends_on"
