"""The migration that keeps invoices to the LA as open items backfills them from the postings
already in the book (a hand journal that cleared part of one included), and a downgrade and
upgrade again leave the same items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from services.ledger.adapters import tables
from tests.support.databases import DatabaseFactory
from tests.support.ledger_migrations import book, down_and_up

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
    lines = [
        (day, account, pence, {"document": document}) for day, document, account, pence in LINES
    ]
    book(connection, lines, kind="la_invoice", strand="statutory")


def _la_items(connection: Connection) -> dict[str, tuple[int, date | None, int]]:
    rows = connection.execute(
        select(ITEMS.c.document, ITEMS.c.urn, ITEMS.c.first_debit_on, ITEMS.c.amount_pence)
        .where(ITEMS.c.account == "receivables:la")
    )  # fmt: skip
    return {document: (urn, first, pence) for document, urn, first, pence in rows}


async def test_invoices_to_the_la_are_backfilled_as_open_items_and_survive_a_downgrade(
    databases: DatabaseFactory,
) -> None:
    backfilled, gone, again = await down_and_up(
        databases, before=BEFORE, keep=_book, read_up=_la_items, read_down=_la_items
    )

    assert backfilled == {
        "LA-000001": (0, date(2026, 9, 30), 16_000),
        "LA-000002": (0, date(2026, 11, 30), 12_000),
    }
    assert gone == {}
    assert again == backfilled
