"""A journal to the schools' receivables that named no school was kept in no open item, so the
aged debt's rows fell short of `receivables:schools` by it. The migration sums the book's
postings into the schools' open items again, such a journal among them: on its own it is the
aged debt's "No school named" row; under a trust's invoice number it counts in the trust's
invoice. Then the rows add up to the account, and a downgrade and upgrade again leave the book
as it is."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import Connection, delete, insert, select

from services import registry
from services.ledger.adapters import balances, tables
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import FINANCE
from tests.support.ledger_migrations import book, down_and_up

BEFORE = "c3e5a7b9d1f4"  # before a journal naming no school was kept in an open item
SCHOOLS = "receivables:schools"
SALES: list[tuple[str, str, int, dict[str, Any]]] = [
    ("2026-11-02", SCHOOLS, 24_000, {"urn": 117083, "document": "INV-1"}),
    ("2026-11-05", SCHOOLS, 60_000, {"trust_code": "919", "document": "INV-2"}),
]
JOURNALS: list[tuple[str, str, int, dict[str, Any]]] = [
    ("2026-11-20", SCHOOLS, 50_000, {}),  # an accrual naming no school
    ("2026-11-25", SCHOOLS, -6_000, {"document": "INV-2"}),  # the trust's, cleared in part
]
# the open items as the earlier code kept them: the journals in none
KEPT_BEFORE: list[dict[str, Any]] = [
    {"urn": 117083, "document": "INV-1", "trust_code": None, "amount_pence": 24_000},
    {"urn": 0, "document": "INV-2", "trust_code": "919", "amount_pence": 60_000},
]


def _old_book(connection: Connection) -> None:
    book(connection, SALES, kind="sale", strand="traded", keyed="sale")
    book(connection, JOURNALS, kind="journal", strand="traded", keyed="journal")
    balances.rebuild(connection)  # the account's balances; its open items as kept before:
    connection.execute(delete(tables.open_items))
    firsts = {"INV-1": date(2026, 11, 2), "INV-2": date(2026, 11, 5)}
    connection.execute(
        insert(tables.open_items),
        [
            {"account": SCHOOLS, "first_debit_on": firsts[item["document"]], **item}
            for item in KEPT_BEFORE
        ],
    )


def _items(connection: Connection) -> dict[tuple[int, str, str | None], int]:
    items = tables.open_items
    found = connection.execute(
        select(items.c.urn, items.c.document, items.c.trust_code, items.c.amount_pence).where(
            items.c.account == SCHOOLS
        )
    )
    return {(urn, document, trust): pence for urn, document, trust, pence in found}


async def test_a_journal_naming_no_school_is_owed_under_no_school_and_the_rows_add_up(
    databases: DatabaseFactory,
) -> None:
    url = await databases.new("ledger")
    filed, down, again = await down_and_up(
        databases, before=BEFORE, keep=_old_book, read_up=_items, read_down=_items, database_url=url
    )

    assert filed == {
        (117083, "INV-1", None): 24_000,
        (0, "INV-2", "919"): 54_000,
        (0, "", None): 50_000,
    }
    assert (0, "", None) not in down
    assert again == filed

    service = registry.service("ledger", database_url=url, environment="test")
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service.api()), base_url="http://ledger"
    )
    try:
        as_of = {"as_of": "2026-11-30"}
        report = await client.get("/reports/aged-debt", params=as_of, headers=FINANCE)
        control = await client.get("/balances", params=as_of, headers=FINANCE)
    finally:
        await client.aclose()
        await service.engine.dispose()
    assert report.status_code == 200, report.text
    rows = {(row["urn"], row["name"]): row["total_pence"] for row in report.json()["rows"]}
    assert rows == {
        (None, "No school named"): 50_000,
        (None, "Academy trust 919"): 54_000,
        (117083, ""): 24_000,  # a school not on this book's register
    }
    balance = {row["code"]: row["balance_pence"] for row in control.json()}
    assert report.json()["total_pence"] == balance[SCHOOLS] == 128_000
