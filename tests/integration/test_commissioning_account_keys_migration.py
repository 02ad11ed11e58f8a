"""The migration that keys each contract by its income account: contracts recorded before are
keyed, and of two whose references already read alike the first keeps the key and the other
none, so the migration never fails on them and nothing is renamed."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from alembic import command
from sqlalchemy import Connection, delete, insert, select

from services import registry
from services.commissioning.adapters.tables import contracts
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

BEFORE = "e5c9a2f4b7d1"
RECORDED = ["MIG/2026/1", "MIG-2026-1", "MIG/2026/2"]


def _record(connection: Connection) -> dict[UUID, str]:
    ids = {uuid4(): reference for reference in RECORDED}
    for contract_id, reference in ids.items():
        connection.execute(
            insert(contracts).values(
                id=contract_id, reference=reference, title="Monitoring",
                statutory_duty="Education Act 1996", funding_source="council_budget",
                value_pence=100_000, vat_rate="standard", start_on=date(2026, 4, 1),
                end_on=date(2027, 3, 31), status="draft",
            )
        )  # fmt: skip
    return ids


async def test_contracts_recorded_before_are_keyed_and_alike_references_do_not_stop_it(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "commissioning", database_url=await databases.new("commissioning"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> dict[str, str | None]:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # PostgreSQL's database may be an earlier test's, at head
        command.downgrade(config, BEFORE)
        connection.execute(delete(contracts).where(contracts.c.reference.in_(RECORDED)))
        ids = _record(connection)
        command.upgrade(config, "head")
        rows = connection.execute(
            select(contracts.c.id, contracts.c.account_key).where(contracts.c.id.in_(ids))
        )
        keys = {ids[row.id]: row.account_key for row in rows}
        connection.execute(delete(contracts).where(contracts.c.id.in_(ids)))
        return keys

    try:
        async with service.engine.begin() as connection:
            keys = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    assert keys == {"MIG-2026-1": "mig-2026-1", "MIG/2026/1": None, "MIG/2026/2": "mig-2026-2"}
