"""The migration that keeps each LA payment's bank reference in a column of its own backfills it
from the descriptions the book wrote around it, whatever words the reference contains, and
leaves every other transaction without one; a downgrade and upgrade again read the same."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from sqlalchemy import Connection, insert, select

from services.ledger.adapters import tables
from tests.support.databases import DatabaseFactory
from tests.support.ledger_migrations import down_and_up

BEFORE = "f7c3a9e1b2d4"
ON = date(2026, 11, 30)
# source key, kind, description, the invoice its postings are filed under
TRANSACTIONS = [
    ("pay-1", "la_payment", "Payment BACS 0001 by the LA against LA-000001", "LA-000001"),
    (
        "pay-2",
        "la_payment",
        "Payment Payment by the LA against LA-000002 by the LA against LA-000002",
        "LA-000002",
    ),
    ("invoice", "la_invoice", "Invoice LA-000001 to the LA", "LA-000001"),
]


def _book(connection: Connection) -> None:
    connection.execute(
        insert(tables.accounts),
        [{"code": code, "name": code, "kind": "asset", "strand": None}
         for code in ("bank", "receivables:la")],
    )  # fmt: skip
    for key, kind, description, document in TRANSACTIONS:
        transaction = uuid4()
        connection.execute(
            insert(tables.transactions).values(
                id=transaction, source_key=key, source_subject="test", kind=kind,
                strand="statutory", description=description, dated=ON, posted_on=ON,
                financial_year="2026-27", recorded_at=datetime.now(UTC),
            )
        )  # fmt: skip
        connection.execute(
            insert(tables.postings),
            [
                {"transaction_id": transaction, "account": account, "amount_pence": pence,
                 "strand": "statutory", "posted_on": ON, "dated": ON,
                 "financial_year": "2026-27", "month": "2026-11", "document": document}
                for account, pence in (("bank", 100), ("receivables:la", -100))
            ],
        )  # fmt: skip


def _references(connection: Connection) -> dict[str, str | None]:
    rows = connection.execute(
        select(tables.transactions.c.source_key, tables.transactions.c.reference)
    )
    return {key: reference for key, reference in rows}


async def test_la_payments_references_are_backfilled_from_their_descriptions(
    databases: DatabaseFactory,
) -> None:
    # the column goes with a downgrade: there is nothing to read at the earlier revision
    backfilled, _, again = await down_and_up(
        databases, before=BEFORE, keep=_book, read_up=_references, read_down=lambda _: None
    )

    assert backfilled == {
        "pay-1": "BACS 0001",
        "pay-2": "Payment by the LA against LA-000002",
        "invoice": None,
    }
    assert again == backfilled
