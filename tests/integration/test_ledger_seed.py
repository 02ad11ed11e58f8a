"""The demo seed gives the ledger the schools register, so the demo's buy-back rate has the
real register as its denominator."""

from __future__ import annotations

from services.seed.ledger import seed_ledger_register
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import running_ledger


async def test_the_seed_enters_the_real_register_once(
    sqlite_databases: DatabaseFactory, nats_url: str
) -> None:
    async with running_ledger(sqlite_databases, nats_url, worker=False) as ledger:
        assert await seed_ledger_register(ledger.service) == 567
        assert await seed_ledger_register(ledger.service) == 0
        async with ledger.service.unit_of_work() as uow:
            names = await uow.register.names()
            phases = await uow.register.schools_by_phase()
        assert names[117083] == ("Abbots Langley School", "Primary", "Hertfordshire")
        assert sum(phases.values()) == 567 and phases["Primary"] > phases["Secondary"] > 0
        report = await ledger.get("/reports/sustainability", financial_year="2026-27")
        assert report["buy_back_Primary_percent"] == 0.0  # nobody has bought yet
