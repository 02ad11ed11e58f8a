"""Orders' migrations tried on rows an older schema kept: the database brought to an earlier
revision, rows written there as that revision knew them, then migrated to the newest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar
from uuid import UUID, uuid4

from alembic import command
from sqlalchemy import Connection, insert

from services import registry
from services.orders.adapters.tables import orders
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED

Kept = TypeVar("Kept")
Found = TypeVar("Found")


async def migrated(
    databases: DatabaseFactory,
    *,
    before: str,
    keep: Callable[[Connection], Kept],
    then: Callable[[Connection, Kept], Found],
) -> Found:
    """What `then` finds once the rows `keep` wrote at revision `before` are migrated to the
    newest (`keep` answers what `then` is to look for)."""
    service = registry.service(
        "orders", database_url=await databases.new("orders"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> Found:
        config.attributes["connection"] = connection
        command.upgrade(config, before)  # a kept PostgreSQL database is at the newest schema
        command.downgrade(config, before)
        kept = keep(connection)
        command.upgrade(config, "head")
        return then(connection, kept)

    try:
        async with service.engine.begin() as connection:
            return await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()


def old_order(
    connection: Connection, *, placed_on: date = date(2026, 10, 1), trust_code: str | None = None
) -> UUID:
    """An order of Abbots Langley's (or a trust's), as the columns every revision has."""
    order_id = uuid4()
    connection.execute(
        insert(orders).values(
            id=order_id,
            urn=ABBOTS_LANGLEY_AS_REGISTERED["urn"],
            payment_method="invoice",
            placed_on=placed_on,
            status="placed",
            trust_code=trust_code,
        )
    )
    return order_id
