"""The migration that adds the balances across schools backfills them from the postings already
in the book (the sums of each day, account and dimension but the school's), and a
downgrade and upgrade again leave the same sums."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, select

from services.ledger.adapters import tables
from tests.support.databases import DatabaseFactory
from tests.support.ledger_migrations import book, down_and_up

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
    dimensions = {"phase": "Primary", "la_code": "919", "category": "Governance"}
    lines = [
        (day, account, pence, {"urn": urn, **dimensions, "document": f"INV-{urn}"})
        for day, urn, account, pence in LINES
    ]
    book(connection, lines, kind="sale", strand="traded")


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
    backfilled, gone, again = await down_and_up(
        databases,
        before=BEFORE,
        keep=_book,
        read_up=_across,
        read_down=lambda connection: inspect(connection).has_table(ACROSS.name),
    )

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
