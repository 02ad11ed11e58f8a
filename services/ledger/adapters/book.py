"""The book as stored: transactions are only ever inserted, never updated or deleted."""

from __future__ import annotations

from sqlalchemy import case, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.adapters.tables import accounts, postings, transactions
from services.ledger.domain.accounts import Account
from services.ledger.domain.transaction import JournalTransaction


class Book:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def post(self, transaction: JournalTransaction) -> None:
        await self._open_accounts([posting.account for posting in transaction.postings])
        await self._session.execute(
            insert(transactions).values(
                id=transaction.id,
                source_event_id=str(transaction.source.event_id),
                source_subject=transaction.source.subject,
                strand=transaction.strand.value,
                description=transaction.description,
                posted_on=transaction.posted_on,
                financial_year=transaction.financial_year,
            )
        )
        month = transaction.posted_on.strftime("%Y-%m")
        await self._session.execute(
            insert(postings),
            [
                {
                    "transaction_id": transaction.id,
                    "account": posting.account.code,
                    "amount_pence": posting.amount_pence,
                    "strand": transaction.strand.value,
                    "month": month,
                    **posting.dimensions.__dict__,
                }
                for posting in transaction.postings
            ],
        )

    async def _open_accounts(self, needed: list[Account]) -> None:
        by_code = {account.code: account for account in needed}
        existing = set(
            (
                await self._session.scalars(
                    select(accounts.c.code).where(accounts.c.code.in_(by_code))
                )
            ).all()
        )
        new = [account for code, account in by_code.items() if code not in existing]
        if new:
            await self._session.execute(
                insert(accounts),
                [
                    {
                        "code": account.code,
                        "name": account.name,
                        "kind": account.kind.value,
                        "strand": account.strand.value if account.strand else None,
                    }
                    for account in new
                ],
            )

    async def balances(self) -> list[dict[str, object]]:
        query = (
            select(
                accounts.c.code,
                accounts.c.name,
                accounts.c.kind,
                accounts.c.strand,
                func.coalesce(func.sum(postings.c.amount_pence), 0).label("balance_pence"),
            )
            .select_from(accounts.outerjoin(postings, postings.c.account == accounts.c.code))
            .group_by(accounts.c.code, accounts.c.name, accounts.c.kind, accounts.c.strand)
            .order_by(accounts.c.code)
        )
        return [dict(row._mapping) for row in await self._session.execute(query)]

    async def trial_balance(self) -> tuple[int, int]:
        """Total debits and total credits (as positive numbers) across the whole book."""
        amount = postings.c.amount_pence
        row = (
            await self._session.execute(
                select(
                    func.coalesce(func.sum(case((amount > 0, amount), else_=0)), 0),
                    func.coalesce(func.sum(case((amount < 0, -amount), else_=0)), 0),
                )
            )
        ).one()
        return int(row[0]), int(row[1])

    async def income_by_strand(self) -> dict[str, int]:
        query = (
            select(postings.c.strand, func.sum(-postings.c.amount_pence))
            .join(accounts, accounts.c.code == postings.c.account)
            .where(accounts.c.kind == "income")
            .group_by(postings.c.strand)
        )
        return {strand: int(total) for strand, total in await self._session.execute(query)}

    async def transactions_for(self, source_event_id: str | None = None) -> list[dict[str, object]]:
        query = select(transactions).order_by(transactions.c.posted_on)
        if source_event_id:
            query = query.where(transactions.c.source_event_id == source_event_id)
        found = [dict(row._mapping) for row in await self._session.execute(query)]
        for transaction in found:
            rows = await self._session.execute(
                select(postings.c.account, postings.c.amount_pence)
                .where(postings.c.transaction_id == transaction["id"])
                .order_by(postings.c.id)
            )
            transaction["postings"] = [dict(row._mapping) for row in rows]
        return found
