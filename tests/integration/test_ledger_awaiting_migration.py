"""The migration that names each held line's document fills it in for the lines held already,
from the dimensions they keep, and a downgrade and upgrade again leave the same."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import Connection, select, text

from services import registry
from services.ledger.adapters import tables
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

BEFORE = "e1f2a3b4c5d6"
HELD = [  # (order, line, pence, the sale's document)
    ("o-1", "l-1", 62_500, "INV-000007"),
    ("o-1", "l-2", -12_500, "INV-000007"),
    ("o-2", "l-3", 75_000, "pi_3Nxyz"),
]


def _hold(connection: Connection) -> None:
    for order_id, line_id, pence, document in HELD:
        dimensions = {"urn": 117083, "category": "School improvement", "document": document}
        connection.execute(
            text(
                "INSERT INTO awaiting_delivery (order_id, line_id, pence, dimensions) "
                "VALUES (:order_id, :line_id, :pence, :dimensions)"
            ),
            {"order_id": order_id, "line_id": line_id, "pence": pence,
             "dimensions": json.dumps(dimensions)},
        )  # fmt: skip


def _documents(connection: Connection) -> dict[str, str | None]:
    held = tables.awaiting_delivery
    rows = connection.execute(select(held.c.line_id, held.c.document))
    return {line_id: document for line_id, document in rows}


async def test_each_line_held_already_is_named_by_its_sale_s_document(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "ledger", database_url=await databases.new("ledger"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> tuple[dict[str, str | None], dict[str, str | None]]:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # PostgreSQL's database may be an earlier test's, at head
        command.downgrade(config, BEFORE)
        connection.execute(text("DELETE FROM awaiting_delivery"))
        _hold(connection)
        command.upgrade(config, "head")
        filled = _documents(connection)
        command.downgrade(config, BEFORE)
        command.upgrade(config, "head")
        return filled, _documents(connection)

    try:
        async with service.engine.begin() as connection:
            filled, again = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    assert filled == {"l-1": "INV-000007", "l-2": "INV-000007", "l-3": "pi_3Nxyz"}
    assert again == filled
