"""The migration that keeps invoices to the LA as open items backfills them from the postings
already in the book (a hand journal that cleared part of one included), and a downgrade and
upgrade again leave the same items."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from alembic import command
from sqlalchemy import Connection, insert, select

from services import registry
from services.ledger.adapters import tables
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

BEFORE = "e6a9b7c1d3f5"
ITEMS = tables.open_items
# two invoices to the LA; the first part paid, by a journal finance posted by hand
LINES = [
    ("2026-09-30", "LA-000001", "receivables:la", 36_000),
    ("2026-09-30", "LA-000001", "statutory:income:hcc-si-2026", -30_000),
    ("2026-09-30", "LA-000001", "vat:output", -6_000),
    ("2026-10-31", "LA-000001", "bank", 20_000),
    ("2026-10-31", "LA-000001", "receivables:la", -20_000),
    ("2026-11-30", "LA-000002", "receivables:la", 12_000),
    ("2026-11-30", "LA-000002", "statutory:income:hcc-si-2026", -12_000),
]


def _book(connection: Connection) -> None:
    codes = sorted({account for _, _, account, _ in LINES})
    connection.execute(
        insert(tables.accounts),
        [{"code": code, "name": code, "kind": "asset", "strand": None} for code in codes],
    )
    for number, (day, document, account, pence) in enumerate(LINES):
        on = date.fromisoformat(day)
        transaction = uuid4()
        connection.execute(
            insert(tables.transactions).values(
                id=transaction, source_key=f"t-{number}", source_subject="test",
                kind="la_invoice", strand="statutory", description="test", dated=on,
                posted_on=on, financial_year="2026-27", recorded_at=datetime.now(UTC),
            )
        )  # fmt: skip
        connection.execute(
            insert(tables.postings).values(
                transaction_id=transaction, account=account, amount_pence=pence,
                strand="statutory", posted_on=on, dated=on, financial_year="2026-27",
                month=day[:7], document=document,
            )
        )  # fmt: skip


def _la_items(connection: Connection) -> dict[str, tuple[int, date | None, int]]:
    rows = connection.execute(
        select(ITEMS.c.document, ITEMS.c.urn, ITEMS.c.first_debit_on, ITEMS.c.amount_pence)
        .where(ITEMS.c.account == "receivables:la")
    )  # fmt: skip
    return {document: (urn, first, pence) for document, urn, first, pence in rows}


async def test_invoices_to_the_la_are_backfilled_as_open_items_and_survive_a_downgrade(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "ledger", database_url=await databases.new("ledger"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> tuple[object, ...]:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # PostgreSQL's database may be an earlier test's, at head
        command.downgrade(config, BEFORE)
        _book(connection)
        command.upgrade(config, "head")
        backfilled = _la_items(connection)
        command.downgrade(config, BEFORE)
        gone = _la_items(connection)
        command.upgrade(config, "head")
        return backfilled, gone, _la_items(connection)

    try:
        async with service.engine.begin() as connection:
            backfilled, gone, again = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    assert backfilled == {
        "LA-000001": (0, date(2026, 9, 30), 16_000),
        "LA-000002": (0, date(2026, 11, 30), 12_000),
    }
    assert gone == {}
    assert again == backfilled
