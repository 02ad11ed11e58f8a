"""Trusts' orders placed before an order kept its trust's name come through the migration with
the name the register gives that trust, where a school is still in it; a school's own order,
and a trust's with no school left in it, keep none."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from alembic import command
from sqlalchemy import Connection, insert, select

from services import registry
from services.orders.adapters.tables import orders, schools
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED

BEFORE = "4c9e2f7a1b38"


def _order(connection: Connection, trust_code: str | None) -> UUID:
    order_id = uuid4()
    connection.execute(
        insert(orders).values(
            id=order_id,
            urn=ABBOTS_LANGLEY_AS_REGISTERED["urn"],
            payment_method="invoice",
            placed_on=date(2026, 10, 1),
            status="placed",
            trust_code=trust_code,
        )
    )
    return order_id


async def test_a_trust_s_order_takes_the_name_the_register_gives_its_trust(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "orders", database_url=await databases.new("orders"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> list[str | None]:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE)  # a kept PostgreSQL database is at the newest schema
        command.downgrade(config, BEFORE)
        in_trust = {**ABBOTS_LANGLEY_AS_REGISTERED, "trust_code": "4209"}
        connection.execute(insert(schools).values(**in_trust, trust_name="Herts Learning Trust"))
        placed = [_order(connection, trust) for trust in ("4209", None, "GONE-1")]
        command.upgrade(config, "head")
        rows = connection.execute(select(orders.c.id, orders.c.trust_name))
        names = {row.id: row.trust_name for row in rows}
        return [names[order_id] for order_id in placed]

    try:
        async with service.engine.begin() as connection:
            named = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    assert named == ["Herts Learning Trust", None, None]
