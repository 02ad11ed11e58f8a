"""The migration that adds the balances across schools backfills them from the postings already
in the book (the sums of each day, account and dimension but the school's), and a
downgrade and upgrade again leave the same sums."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from alembic import command
from sqlalchemy import Connection, insert, inspect, select

from services import registry
from services.ledger.adapters import tables
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

BEFORE = "b9d4e0f6a021"
ACROSS = tables.balances_across_schools_by_day
# two schools' invoices in one month and category, a settlement in the next
LINES = [
    ("2026-05-03", 100001, "receivables:schools", 12_000),
    ("2026-05-03", 100001, "traded:income:governance", -10_000),
    ("2026-05-03", 100001, "vat:output", -2_000),
    ("2026-05-20", 100002, "receivables:schools", 6_000),
    ("2026-05-20", 100002, "traded:income:governance", -5_000),
    ("2026-05-20", 100002, "vat:output", -1_000),
    ("2026-06-01", 100002, "bank", 6_000),
    ("2026-06-01", 100002, "receivables:schools", -6_000),
]


def _book(connection: Connection) -> None:
    codes = sorted({account for _, _, account, _ in LINES})
    connection.execute(
        insert(tables.accounts),
        [{"code": code, "name": code, "kind": "asset", "strand": None} for code in codes],
    )
    for number, (day, urn, account, pence) in enumerate(LINES):
        on = date.fromisoformat(day)
        transaction = uuid4()
        connection.execute(
            insert(tables.transactions).values(
                id=transaction, source_key=f"t-{number}", source_subject="test", kind="sale",
                strand="traded", description="test", dated=on, posted_on=on,
                financial_year="2026-27", recorded_at=datetime.now(UTC),
            )
        )  # fmt: skip
        connection.execute(
            insert(tables.postings).values(
                transaction_id=transaction, account=account, amount_pence=pence, strand="traded",
                posted_on=on, dated=on, financial_year="2026-27", month=day[:7], urn=urn,
                phase="Primary", la_code="919", category="Governance", document=f"INV-{urn}",
            )
        )  # fmt: skip


def _across(connection: Connection) -> dict[tuple[str, str], tuple[int, int]]:
    rows = connection.execute(select(ACROSS.c.posted_on, ACROSS.c.month, ACROSS.c.account,
                                     ACROSS.c.amount_pence, ACROSS.c.debit_pence))  # fmt: skip
    return {
        (str(day), account): (pence, debit)
        for day, month, account, pence, debit in rows
        if str(day)[:7] == month
    }


async def test_the_balances_across_schools_are_backfilled_and_survive_a_downgrade(
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
        backfilled = _across(connection)
        command.downgrade(config, BEFORE)
        gone = inspect(connection).has_table(ACROSS.name)
        command.upgrade(config, "head")
        return backfilled, gone, _across(connection)

    try:
        async with service.engine.begin() as connection:
            backfilled, gone, again = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    assert backfilled == {
        ("2026-05-03", "receivables:schools"): (12_000, 12_000),
        ("2026-05-03", "traded:income:governance"): (-10_000, 0),
        ("2026-05-03", "vat:output"): (-2_000, 0),
        ("2026-05-20", "receivables:schools"): (6_000, 6_000),
        ("2026-05-20", "traded:income:governance"): (-5_000, 0),
        ("2026-05-20", "vat:output"): (-1_000, 0),
        ("2026-06-01", "bank"): (6_000, 6_000),
        ("2026-06-01", "receivables:schools"): (-6_000, 0),
    }
    assert not gone
    assert again == backfilled
