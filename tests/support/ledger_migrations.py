"""The ledger's migrations tried on a book an older schema kept: postings written at an earlier
revision, migrated to the newest, down to that revision again and back up."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import uuid4

from alembic import command
from sqlalchemy import Connection, insert

from services import registry
from services.ledger.adapters import tables
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

Up = TypeVar("Up")
Down = TypeVar("Down")


def book(
    connection: Connection,
    lines: Iterable[tuple[str, str, int, Mapping[str, Any]]],
    *,
    kind: str,
    strand: str,
) -> None:
    """Each line (day, account, pence, the posting's other columns) as a transaction of its own,
    its accounts opened first."""
    lines = list(lines)
    codes = sorted({account for _, account, _, _ in lines})
    connection.execute(
        insert(tables.accounts),
        [{"code": code, "name": code, "kind": "asset", "strand": None} for code in codes],
    )
    for number, (day, account, pence, columns) in enumerate(lines):
        on = date.fromisoformat(day)
        transaction = uuid4()
        connection.execute(
            insert(tables.transactions).values(
                id=transaction, source_key=f"t-{number}", source_subject="test", kind=kind,
                strand=strand, description="test", dated=on, posted_on=on,
                financial_year="2026-27", recorded_at=datetime.now(UTC),
            )
        )  # fmt: skip
        connection.execute(
            insert(tables.postings).values(
                transaction_id=transaction, account=account, amount_pence=pence, strand=strand,
                posted_on=on, dated=on, financial_year="2026-27", month=day[:7], **columns,
            )
        )  # fmt: skip


async def down_and_up(
    databases: DatabaseFactory,
    *,
    before: str,
    keep: Callable[[Connection], None],
    read_up: Callable[[Connection], Up],
    read_down: Callable[[Connection], Down],
) -> tuple[Up, Down, Up]:
    """What `read_up` finds once the rows `keep` wrote at revision `before` are migrated to the
    newest, what `read_down` finds after a downgrade to `before`, and what `read_up` finds after
    an upgrade to the newest again."""
    service = registry.service(
        "ledger", database_url=await databases.new("ledger"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> tuple[Up, Down, Up]:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # PostgreSQL's database may be an earlier test's, at head
        command.downgrade(config, before)
        keep(connection)
        command.upgrade(config, "head")
        backfilled = read_up(connection)
        command.downgrade(config, before)
        gone = read_down(connection)
        command.upgrade(config, "head")
        return backfilled, gone, read_up(connection)

    try:
        async with service.engine.begin() as connection:
            return await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()
