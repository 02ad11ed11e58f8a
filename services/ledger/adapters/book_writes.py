"""What one unit of work writes to the book, staged while its events are applied and written
when it commits: one statement per table for a whole batch of events, not a few per event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters import balances, terms
from services.ledger.adapters.book import insert_new, str_or_none
from services.ledger.adapters.schedule import scheduled_row
from services.ledger.adapters.tables import (
    accounts,
    postings,
    scheduled_recognitions,
    service_names,
    transactions,
)
from services.ledger.domain.accounts import Account
from services.ledger.domain.entries import TermLine
from services.ledger.domain.periods import month_of
from services.ledger.domain.transaction import JournalTransaction
from shared.calendar import financial_year
from shared.events import Envelope, Event
from shared.upserts import dialect_of, replacing

# Built once: building a statement costs SQLAlchemy more than SQLite takes to run it.
_IN_THE_BOOK = select(transactions.c.source_key).where(
    transactions.c.source_key.in_(bindparam("keys", expanding=True))
)
_POST_TRANSACTIONS = insert(transactions)
_POST_POSTINGS = insert(postings)


@dataclass(frozen=True)
class Staged:
    """A transaction to post, the day it is posted on, and the event announcing it (if any)."""

    transaction: JournalTransaction
    posted_on: date
    note: str | None = None
    announcement: Envelope[Event] | None = None


class BookWrites:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session
        self._staged: dict[str, Staged] = {}  # by source key: the first of the same cause wins
        self._accounts: dict[str, Account] = {}
        self._scheduled: dict[str, JournalTransaction] = {}
        self._service_titles: dict[str, str] = {}
        self._sold_terms: dict[tuple[str, str], TermLine] = {}  # by order and line id

    def post(self, staged: Staged) -> None:
        self._staged.setdefault(staged.transaction.source.key, staged)
        self.open_accounts([posting.account for posting in staged.transaction.postings])

    def open_accounts(self, needed: list[Account]) -> None:
        self._accounts.update((account.code, account) for account in needed)

    def schedule(self, recognitions: list[JournalTransaction]) -> None:
        """Schedule these; one scheduled before (the same cause again) is left as it was."""
        for recognition in recognitions:
            self._scheduled.setdefault(recognition.source.key, recognition)
        self.open_accounts([p.account for t in recognitions for p in t.postings])

    def name_services(self, titles: dict[str, str]) -> None:
        """Remember each service's title; the newest sale's title wins."""
        self._service_titles.update(titles)

    def sell_terms(self, order_id: str, lines: list[TermLine]) -> None:
        """Keep these termed lines of the order as sold; the first sale of a line wins."""
        for line in lines:
            self._sold_terms.setdefault((order_id, line.line_id), line)

    async def write_terms(self) -> None:
        """Write the termed lines sold so far, for a give-back to read (the commit writes them
        otherwise)."""
        sold, self._sold_terms = self._sold_terms, {}
        await terms.sell(self._session, sold)

    async def flush(self) -> list[Staged]:
        """Write what is staged; return what was posted now (its cause not in the book before),
        in the order it was staged."""
        staged, self._staged = list(self._staged.values()), {}
        await self._write_accounts()
        posted = await self._write_transactions(staged)
        scheduled, self._scheduled = list(self._scheduled.values()), {}
        await insert_new(
            self._session, scheduled_recognitions, [scheduled_row(t) for t in scheduled]
        )
        await self._write_service_titles()
        await self.write_terms()
        return posted

    async def _write_accounts(self) -> None:
        """Two consumers may open the same account at once: the second insert is ignored
        rather than failing either transaction."""
        rows = [
            {
                "code": account.code,
                "name": account.name,
                "kind": account.kind.value,
                "strand": account.strand.value if account.strand else None,
            }
            for _, account in sorted(self._accounts.items())  # two writers lock in one order
        ]
        self._accounts = {}
        await insert_new(self._session, accounts, rows)

    async def _write_transactions(self, staged: list[Staged]) -> list[Staged]:
        if not staged:
            return []
        keys = [entry.transaction.source.key for entry in staged]
        known = set((await self._session.scalars(_IN_THE_BOOK, {"keys": keys})).all())
        new = [entry for entry in staged if entry.transaction.source.key not in known]
        if new:
            now = datetime.now(UTC)
            await self._session.execute(
                _POST_TRANSACTIONS, [_transaction_row(entry, now) for entry in new]
            )
            rows = [row for entry in new for row in _posting_rows(entry)]
            await self._session.execute(_POST_POSTINGS, rows)
            await balances.add(self._session, rows)
        return new

    async def _write_service_titles(self) -> None:
        """An upsert, so that two consumers naming the same service at once both succeed."""
        titles, self._service_titles = self._service_titles, {}
        if not titles:
            return
        await self._session.execute(
            replacing(service_names, dialect_of(self._session), "title"),
            [{"service_id": key, "title": title} for key, title in sorted(titles.items())],
        )


def _transaction_row(entry: Staged, recorded_at: datetime) -> dict[str, Any]:
    transaction = entry.transaction
    return {
        "id": transaction.id,
        "source_key": transaction.source.key,
        "source_event_id": str_or_none(transaction.source.event_id),
        "source_subject": transaction.source.subject,
        "kind": transaction.kind,
        "strand": transaction.strand.value,
        "description": transaction.description,
        "dated": transaction.dated,
        "posted_on": entry.posted_on,
        "financial_year": financial_year(entry.posted_on),
        "note": entry.note,
        "reverses_id": transaction.reverses,
        "recorded_at": recorded_at,
        "reference": transaction.reference,
        "reversal_reason": transaction.reversal_reason,
    }


def _posting_rows(entry: Staged) -> list[dict[str, Any]]:
    transaction = entry.transaction
    common = {
        "transaction_id": transaction.id,
        "strand": transaction.strand.value,
        "posted_on": entry.posted_on,
        "dated": transaction.dated,
        "financial_year": financial_year(entry.posted_on),
        "month": month_of(entry.posted_on),
    }
    return [
        {
            **common,
            "account": posting.account.code,
            "amount_pence": posting.amount_pence,
            **posting.dimensions.as_dict(),
        }
        for posting in transaction.postings
    ]
