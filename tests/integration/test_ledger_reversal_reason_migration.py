"""The migration that keeps each reversal's reason in a column of its own reads it back from the
description the book wrote around it, whatever words the reason holds (a quote, a colon, the
words the book wrote itself); a description cut at its width, or not of the book's making, is
left without a reason rather than given part of one. A downgrade and upgrade again read the
same."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from sqlalchemy import Connection, insert, select

from services.ledger.adapters import tables
from tests.support.databases import DatabaseFactory
from tests.support.ledger_migrations import down_and_up

BEFORE = "b2d4f6a8c0e1"
ON = date(2026, 11, 30)
PAYMENT = "Payment BACS 0001 by the LA against LA-000001"
LONG = "Payment BACS " + "9" * 95 + " by the LA against LA-000001"
# source key, description; each reverses the transaction described as `UNDONE[key]`
REVERSALS = [
    ("plain", f"Reversal of '{PAYMENT}': paid against the wrong invoice"),
    ("quoted", f"Reversal of '{PAYMENT}': the LA's 'BACS 0001': was for LA-000002"),
    ("cut", (f"Reversal of '{LONG}': " + "not ours; " * 30)[:299] + "…"),
    ("hand-made", "Undone by hand: paid twice"),
]
UNDONE = {"plain": PAYMENT, "quoted": PAYMENT, "cut": LONG, "hand-made": PAYMENT}


def _transaction(connection: Connection, key: str, description: str, **columns: object) -> None:
    connection.execute(
        insert(tables.transactions).values(
            source_key=key, source_subject="test", strand="statutory", description=description,
            dated=ON, posted_on=ON, financial_year="2026-27", recorded_at=datetime.now(UTC),
            **columns,
        )
    )  # fmt: skip


def _book(connection: Connection) -> None:
    for key, description in REVERSALS:
        undone = uuid4()
        _transaction(connection, f"{key}-undone", UNDONE[key], id=undone, kind="la_payment")
        _transaction(connection, key, description, id=uuid4(), kind="reversal", reverses_id=undone)


def _reasons(connection: Connection) -> dict[str, str | None]:
    rows = connection.execute(
        select(tables.transactions.c.source_key, tables.transactions.c.reversal_reason)
    )
    return {key: reason for key, reason in rows if not key.endswith("-undone")}


async def test_reversal_reasons_are_backfilled_where_their_descriptions_hold_them_whole(
    databases: DatabaseFactory,
) -> None:
    # the column goes with a downgrade: there is nothing to read at the earlier revision
    backfilled, _, again = await down_and_up(
        databases, before=BEFORE, keep=_book, read_up=_reasons, read_down=lambda _: None
    )

    assert backfilled == {
        "plain": "paid against the wrong invoice",
        "quoted": "the LA's 'BACS 0001': was for LA-000002",
        "cut": None,
        "hand-made": None,
    }
    assert again == backfilled
