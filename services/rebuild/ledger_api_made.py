"""What finance made through the ledger's API rather than events made: its journals (the demo
seed's imported history among them), reversals, imported Stripe payouts, the LA's payments of
its invoices, and the closing and reopening of months. No stream holds them, so a rebuild copies them from the live book once
the replay (and its recognition job) is done:

- after, because a reversal points at its transaction, which must be in the book first; and
  because a month closed before the replay would move into the next month every posting its
  events and recognitions made, those made before it was closed too. (An event applied after
  its month was closed was posted, live, in the next open month; replayed, it is posted in its
  own month and shows as a difference: when it arrived is in no stream.)
- as the live book holds them, each posted on the day it was posted then (into the next open
  month if its own was closed at the time), and added to the balances and open items by the
  book's own sums (`adapters.balances.add`), as a posting is.

They are told apart by their source (`MADE_THROUGH_THE_API`), and their audit rows by the
transaction or month they name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Select, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters import balances
from services.ledger.adapters.book import insert_new
from services.ledger.adapters.tables import (
    accounts,
    messaging,
    payout_references,
    payouts,
    period_events,
    periods,
    postings,
    transactions,
)
from services.ledger.domain.transaction import (
    JOURNAL_SUBJECT,
    LA_PAYMENT_SUBJECT,
    MADE_THROUGH_THE_API,
    PAYOUT_SUBJECT,
    REVERSAL_SUBJECT,
)
from shared.service import Service

COUNTED = {
    JOURNAL_SUBJECT: "journals",
    REVERSAL_SUBJECT: "reversals",
    PAYOUT_SUBJECT: "Stripe payouts",
    LA_PAYMENT_SUBJECT: "payments by the LA",
}
MONTHS = "closings and reopenings of months"
_WHOLE = (payouts, payout_references, periods, period_events)  # written by the API alone
_BY_THE_API = transactions.c.source_subject.in_(MADE_THROUGH_THE_API)


async def carry(live: Service[Any], fresh: Service[Any]) -> dict[str, int]:
    """Copy what the API made in `live` into `fresh`, whose events are replayed; how many of
    each kind were copied."""
    async with live.engine.connect() as source:
        made = await _transactions(source)
        posted = await _rows(
            source,
            select(*_columns(postings))
            .join(transactions, postings.c.transaction_id == transactions.c.id)
            .where(_BY_THE_API)
            .order_by(postings.c.id),
        )
        used = sorted({row["account"] for row in posted})
        opened = await _rows(source, select(accounts).where(accounts.c.code.in_(used)))
        audited = await _audit(source, {str(row["id"]) for row in made})
        whole = {table: await _rows(source, select(*_columns(table))) for table in _WHOLE}
    async with fresh.engine.begin() as target:
        await insert_new(target, accounts, opened)
        copied = [(transactions, made), (postings, posted), (messaging.audit, audited)]
        for table, rows in [*copied, *whole.items()]:
            if rows:
                await target.execute(insert(table), rows)
        await balances.add(target, posted)
    counted = dict.fromkeys(COUNTED.values(), 0)
    for row in made:
        counted[COUNTED[row["source_subject"]]] += 1
    return counted | {MONTHS: len(whole[period_events])}


async def _transactions(source: AsyncConnection) -> list[dict[str, Any]]:
    """In the order they were recorded, with each reversal after what it reverses (a journal,
    maybe)."""
    query = select(transactions).where(_BY_THE_API).order_by(transactions.c.recorded_at)
    found = await _rows(source, query)
    return sorted(found, key=lambda row: row["reverses_id"] is not None)


async def _audit(source: AsyncConnection, made: set[str]) -> list[dict[str, Any]]:
    """The audit rows of these transactions, and of every closing and reopening of a month."""
    audit = messaging.audit
    query = (
        select(*_columns(audit))
        .where(audit.c.object_type.in_(["transaction", "period"]))
        .order_by(audit.c.id)
    )
    return [
        row
        for row in await _rows(source, query)
        if row["object_type"] == "period" or row["object_id"] in made
    ]


def _columns(table: Table) -> list[Column[Any]]:
    """The table's columns less its row number: the fresh book numbers its own rows."""
    return [column for column in table.columns if column is not table.autoincrement_column]


async def _rows(source: AsyncConnection, query: Select[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in await source.execute(query)]
