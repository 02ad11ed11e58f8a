"""The book as stored: transactions and their postings are only ever inserted."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.balances import EVERYTHING, period, sums
from services.ledger.adapters.tables import (
    accounts,
    period_events,
    periods,
    postings,
    transactions,
)
from services.ledger.domain.accounts import account_for
from services.ledger.domain.transaction import Dimensions, JournalTransaction, Posting, Source
from shared.clock import in_utc
from shared.money import Strand
from shared.upserts import dialect_of, inserting_new


class Book:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def closed_months(self) -> set[str]:
        return set((await self._session.scalars(select(periods.c.month))).all())

    async def periods(self) -> list[dict[str, Any]]:
        rows = await self._session.execute(select(periods).order_by(periods.c.month))
        return [dict(row._mapping) for row in rows]

    async def close(self, month: str, *, by: str) -> bool:
        """Whether this closed the month: False if it was closed already, also by a closing
        committed meanwhile (which this one waits for, on PostgreSQL, then leaves alone)."""
        now = datetime.now(UTC)
        closing = inserting_new(periods, dialect_of(self._session))
        closed = await self._session.scalars(
            closing.values(month=month, closed_by=by, closed_at=now).returning(periods.c.month)
        )
        if closed.first() is None:
            return False
        await self._session.execute(
            insert(period_events).values(month=month, action="closed", by=by, at=now)
        )
        return True

    async def reopen(self, month: str, *, by: str, reason: str) -> bool:
        """Whether this reopened the month: False if it was not closed, also if a reopening
        committed meanwhile. What was posted into the next month while it was closed stays."""
        reopened = await self._session.scalars(
            delete(periods).where(periods.c.month == month).returning(periods.c.month)
        )
        if reopened.first() is None:
            return False
        await self._session.execute(
            insert(period_events).values(
                month=month, action="reopened", by=by, at=datetime.now(UTC), reason=reason
            )
        )
        return True

    async def period_events(self) -> list[dict[str, Any]]:
        """Every closing and reopening, newest first."""
        rows = await self._session.execute(
            select(period_events).order_by(period_events.c.at.desc(), period_events.c.id.desc())
        )
        return [{**row._mapping, "at": in_utc(row.at)} for row in rows]

    async def transaction(self, transaction_id: UUID) -> JournalTransaction | None:
        row = (
            await self._session.execute(
                select(transactions).where(transactions.c.id == transaction_id)
            )
        ).first()
        if row is None:
            return None
        lines = await self._session.execute(
            select(postings)
            .where(postings.c.transaction_id == transaction_id)
            .order_by(postings.c.id)
        )
        dimension_names = Dimensions.__dataclass_fields__
        return JournalTransaction(
            source=Source(row.source_key, row.source_subject, uuid_or_none(row.source_event_id)),
            kind=row.kind,
            strand=Strand(row.strand),
            description=row.description,
            dated=row.dated,
            postings=tuple(
                Posting(
                    account_for(line.account),
                    line.amount_pence,
                    Dimensions(**{name: getattr(line, name) for name in dimension_names}),
                )
                for line in lines
            ),
            reverses=row.reverses_id,
            reference=row.reference,
            reversal_reason=row.reversal_reason,
        )

    async def reversal_of(self, transaction_id: UUID) -> UUID | None:
        return await self._session.scalar(
            select(transactions.c.id).where(transactions.c.reverses_id == transaction_id)
        )

    async def account_names(self) -> dict[str, str]:
        rows = await self._session.execute(select(accounts.c.code, accounts.c.name))
        return {code: name for code, name in rows}

    async def balances(self, *, as_of: date | None = None) -> list[dict[str, Any]]:
        """Every account with its balance at the end of `as_of` (default: all that is posted)."""
        found = await sums(
            self._session,
            period(None, as_of) if as_of else EVERYTHING,
            by=lambda table: [table.c.account],
        )
        by_account = {code: total for (code,), (total,) in found.items()}
        rows = await self._session.execute(
            select(accounts.c.code, accounts.c.name, accounts.c.kind, accounts.c.strand).order_by(
                accounts.c.code
            )
        )
        return [{**row._mapping, "balance_pence": by_account.get(row.code, 0)} for row in rows]

    async def transactions_for(
        self,
        *,
        source_event_id: str | None = None,
        account: str | None = None,
        key: str | None = None,
        transaction_id: UUID | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        query = (
            select(transactions)
            .order_by(transactions.c.posted_on, transactions.c.recorded_at, transactions.c.id)
            .limit(limit)
            .offset(offset)
        )
        if key:
            query = query.where(transactions.c.source_key == key)
        if transaction_id:
            query = query.where(transactions.c.id == transaction_id)
        if source_event_id:
            query = query.where(transactions.c.source_event_id == source_event_id)
        if account:
            query = query.where(
                transactions.c.id.in_(
                    select(postings.c.transaction_id).where(postings.c.account == account)
                )
            )
        return await self._with_postings(query)

    async def newest_first(
        self, *, posted_by: date, limit: int, offset: int
    ) -> list[dict[str, Any]]:
        """A page of the journal: what is posted on or before `posted_by`, newest first."""
        query = (
            select(transactions)
            .where(transactions.c.posted_on <= posted_by)
            .order_by(
                transactions.c.posted_on.desc(),
                transactions.c.recorded_at.desc(),
                transactions.c.id.desc(),
            )
            .limit(limit)
            .offset(offset)
        )
        return await self._with_postings(query)

    async def recognitions_of(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """Every recognition these events' sales scheduled, whenever it is dated."""
        query = select(transactions).where(
            transactions.c.source_event_id.in_(event_ids), transactions.c.kind == "recognition"
        )
        return await self._with_postings(query)

    async def _with_postings(self, query: Select[Any]) -> list[dict[str, Any]]:
        found = [dict(row._mapping) for row in await self._session.execute(query)]
        by_id = {row["id"]: row for row in found}
        for row in found:
            row["postings"] = []
        if by_id:
            lines = await self._session.execute(
                select(postings).where(postings.c.transaction_id.in_(by_id)).order_by(postings.c.id)
            )
            for line in lines:
                by_id[line.transaction_id]["postings"].append(dict(line._mapping))
        return found


async def insert_new(session: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert the rows whose primary key is not in the table yet, ignoring the others (two
    writers inserting the same row at once do not fail either transaction)."""
    if rows:
        await session.execute(inserting_new(table, dialect_of(session)), rows)


def str_or_none(value: UUID | None) -> str | None:
    return str(value) if value else None


def uuid_or_none(value: str | None) -> UUID | None:
    return UUID(value) if value else None
