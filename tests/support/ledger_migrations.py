"""The ledger's migrations tried on a book an older schema kept: postings written at an earlier
revision, migrated to the newest, down to that revision again and back up."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import uuid4

from alembic import command
from sqlalchemy import Connection, insert, select

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
    keyed: str = "t",
) -> None:
    """Each line (day, account, pence, the posting's other columns) as a transaction of its own,
    the accounts not yet open opened first; each transaction's source key is `keyed` and its
    place among the lines."""
    lines = list(lines)
    opened = set(connection.scalars(select(tables.accounts.c.code)))
    codes = sorted({account for _, account, _, _ in lines} - opened)
    if codes:
        connection.execute(
            insert(tables.accounts),
            [{"code": code, "name": code, "kind": "asset", "strand": None} for code in codes],
        )
    for number, (day, account, pence, columns) in enumerate(lines):
        on = date.fromisoformat(day)
        transaction = uuid4()
        connection.execute(
            insert(tables.transactions).values(
                id=transaction, source_key=f"{keyed}-{number}", source_subject="test", kind=kind,
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
    database_url: str | None = None,
) -> tuple[Up, Down, Up]:
    """What `read_up` finds once the rows `keep` wrote at revision `before` are migrated to the
    newest, what `read_down` finds after a downgrade to `before`, and what `read_up` finds after
    an upgrade to the newest again; in the database at `database_url` (a new one if not given),
    which keeps the book at the newest revision for the test to read further."""
    service = registry.service(
        "ledger", database_url=database_url or await databases.new("ledger"), environment="test"
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
