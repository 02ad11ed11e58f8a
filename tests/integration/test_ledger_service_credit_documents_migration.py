"""Service credits booked before their events named the LA invoice's number were filed under the
invoice's internal id, an open item of their own that no invoice of the LA's matched: the LA's
row of the aged debt counted the invoices whole and so came to more than `receivables:la`. The
migration re-files each such credit under the number of the invoice it came off (commissioning
takes a credit off the invoice of its contract raised that day); then the LA's row adds up to the
control account, and a downgrade and upgrade again leave the book as it is."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import httpx
from sqlalchemy import Connection, select

from services import registry
from services.ledger.adapters import balances, tables
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import FINANCE
from tests.support.ledger_migrations import book, down_and_up

BEFORE = "87644058eb29"  # before invoices to the LA were kept as open items
HCC, KCC = str(uuid4()), str(uuid4())  # two contracts
OLD_ID, OTHER_OLD_ID = str(uuid4()), str(uuid4())  # ids of LA-000002 and LA-000003
INCOME = "statutory:income:hcc-si-2026"
Entry = tuple[str, str, str, list[tuple[str, int]]]  # day, document, contract, postings
INVOICES: list[Entry] = [
    ("2026-09-30", "LA-000001", HCC, [("receivables:la", 36_000), (INCOME, -30_000)]),
    ("2026-11-30", "LA-000002", HCC, [("receivables:la", 12_000), (INCOME, -10_000)]),
    ("2026-11-30", "LA-000003", KCC, [("receivables:la", 24_000), (INCOME, -20_000)]),
]
CREDITS: list[Entry] = [
    ("2026-09-30", "LA-000001", HCC, [("receivables:la", -1_200), (INCOME, 1_000)]),  # as now
    ("2026-11-30", OLD_ID, HCC, [("receivables:la", -6_000), (INCOME, 5_000)]),  # as before
    ("2026-11-30", OTHER_OLD_ID, KCC, [("receivables:la", -2_400), (INCOME, 2_000)]),
]
OWED = 36_000 + 12_000 + 24_000 - 1_200 - 6_000 - 2_400


def _lines(entries: list[Entry]) -> list[tuple[str, str, int, dict[str, Any]]]:
    return [
        (day, account, pence, {"document": document, "contract_id": contract})
        for day, document, contract, postings in entries
        for account, pence in postings
    ]


def _old_book(connection: Connection) -> None:
    book(connection, _lines(INVOICES), kind="la_invoice", strand="statutory", keyed="invoice")
    book(connection, _lines(CREDITS), kind="service_credit", strand="statutory", keyed="credit")
    balances.rebuild(connection)  # as the book kept them, posting by posting


def _filed(connection: Connection) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """The LA's open items (document → pence), and each credit's documents by its contract."""
    items = tables.open_items
    owed = connection.execute(
        select(items.c.document, items.c.amount_pence).where(items.c.account == "receivables:la")
    )
    credited = connection.execute(
        select(tables.postings.c.contract_id, tables.postings.c.document)
        .join(tables.transactions)
        .where(tables.transactions.c.kind == "service_credit")
    )
    return dict(owed.tuples().all()), sorted(credited.tuples().all())


async def test_old_service_credits_are_filed_under_their_invoice_and_the_la_row_adds_up(
    databases: DatabaseFactory,
) -> None:
    url = await databases.new("ledger")
    filed, _, again = await down_and_up(
        databases, before=BEFORE, keep=_old_book, read_up=_filed, read_down=_filed, database_url=url
    )

    items, credits = filed
    assert items == {"LA-000001": 34_800, "LA-000002": 6_000, "LA-000003": 21_600}
    assert credits == sorted(
        [(HCC, "LA-000001")] * 2 + [(HCC, "LA-000002")] * 2 + [(KCC, "LA-000003")] * 2
    )
    assert again == filed

    service = registry.service("ledger", database_url=url, environment="test")
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service.api()), base_url="http://ledger"
    )
    try:
        as_of = date(2026, 12, 1).isoformat()
        report = await client.get("/reports/aged-debt", params={"as_of": as_of}, headers=FINANCE)
        control = await client.get("/balances", headers=FINANCE)
    finally:
        await client.aclose()
        await service.engine.dispose()
    assert report.status_code == 200, report.text
    (la,) = [row for row in report.json()["rows"] if row["strand"] == "statutory"]
    assert (la["0-30_pence"], la["61-90_pence"], la["total_pence"]) == (27_600, 34_800, OWED)
    balance = {row["code"]: row["balance_pence"] for row in control.json()}
    assert la["total_pence"] == balance["receivables:la"] == OWED
