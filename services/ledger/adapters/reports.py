"""The sums the finance reports are built from, straight from the postings."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.adapters.tables import (
    accounts,
    postings,
    transactions,
)
from services.ledger.domain.accounts import (
    PD_SPEND,
    SCHOOL_RECEIVABLES,
    STRIPE_CLEARING,
)
from services.ledger.domain.reports import OpenInvoice

BY = {
    "service": postings.c.service_id,
    "category": postings.c.category,
    "cfr": postings.c.cfr_code,
    "school": postings.c.urn,
    "phase": postings.c.phase,
    "la": postings.c.la_code,
    "month": postings.c.month,
    "account": postings.c.account,
    "strand": postings.c.strand,
}


def _between(start: date, end: date) -> ColumnElement[bool]:
    return and_(postings.c.posted_on >= start, postings.c.posted_on <= end)


class Reports:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def statement(self, account: str, *, start: date, end: date) -> dict[str, Any]:
        opening = await self._session.scalar(
            select(func.coalesce(func.sum(postings.c.amount_pence), 0)).where(
                postings.c.account == account, postings.c.posted_on < start
            )
        )
        rows = await self._session.execute(
            select(
                postings.c.posted_on,
                postings.c.amount_pence,
                postings.c.urn,
                postings.c.trust_code,
                postings.c.document,
                transactions.c.id.label("transaction_id"),
                transactions.c.kind,
                transactions.c.description,
                transactions.c.source_event_id,
                transactions.c.source_subject,
                transactions.c.note,
            )
            .join(transactions, transactions.c.id == postings.c.transaction_id)
            .where(postings.c.account == account, _between(start, end))
            .order_by(postings.c.posted_on, postings.c.id)
        )
        balance = int(opening or 0)
        lines = []
        for row in rows:
            balance += row.amount_pence
            lines.append({**row._mapping, "balance_pence": balance})
        return {"opening_pence": int(opening or 0), "lines": lines, "closing_pence": balance}

    async def income(
        self, by: str, *, start: date, end: date, strand: str | None = None
    ) -> dict[Any, int]:
        """Income recognised from `start` to `end` (credits to income accounts, as positive
        pence) by a dimension, in one strand or all: every income figure is cut from this."""
        key = BY[by]
        query = (
            select(key, func.sum(-postings.c.amount_pence))
            .join(accounts, accounts.c.code == postings.c.account)
            .where(accounts.c.kind == "income", _between(start, end))
            .group_by(key)
        )
        if strand:
            query = query.where(postings.c.strand == strand)
        return {value: int(total) for value, total in await self._session.execute(query)}

    async def by_contract(self, *, start: date, end: date) -> list[dict[str, Any]]:
        """Statutory income and cost for each contract, with the income account that names it."""
        amount = postings.c.amount_pence
        rows = await self._session.execute(
            select(
                postings.c.contract_id,
                func.max(case((accounts.c.kind == "income", accounts.c.name), else_=None)).label(
                    "account_name"
                ),
                func.sum(case((accounts.c.kind == "income", -amount), else_=0)).label("income"),
                func.sum(case((accounts.c.kind == "expense", amount), else_=0)).label("cost"),
            )
            .join(accounts, accounts.c.code == postings.c.account)
            .where(
                postings.c.account.like("statutory:%"),
                accounts.c.kind.in_(("income", "expense")),
                _between(start, end),
            )
            .group_by(postings.c.contract_id)
        )
        return [dict(row._mapping) for row in rows]

    async def open_invoices(self, *, as_of: date) -> list[OpenInvoice]:
        amount = postings.c.amount_pence
        rows = await self._session.execute(
            select(
                postings.c.urn,
                postings.c.trust_code,
                postings.c.document,
                func.min(case((amount > 0, postings.c.dated), else_=None)),
                func.sum(amount),
            )
            .where(postings.c.account == SCHOOL_RECEIVABLES.code, postings.c.posted_on <= as_of)
            .group_by(postings.c.urn, postings.c.trust_code, postings.c.document)
            .having(func.sum(amount) > 0)
        )
        return [
            OpenInvoice(urn, document, invoiced_on, int(outstanding), trust_code=trust)
            for urn, trust, document, invoiced_on, outstanding in rows
            if (urn is not None or trust is not None) and invoiced_on is not None
        ]

    async def income_and_cost(self, *, start: date, end: date) -> dict[str, int]:
        """By bucket: traded/statutory/grant income (statutory grant-funded counts as grant),
        traded/statutory/core cost, and staff development."""
        amount = postings.c.amount_pence
        strand = postings.c.strand
        bucket = case(
            (
                (accounts.c.kind == "income")
                & ((postings.c.funding_source == "grant") | (postings.c.account == "grant:income")),
                "grant_income",
            ),
            (accounts.c.kind == "income", strand + "_income"),
            else_=strand + "_cost",
        )
        rows = await self._session.execute(
            select(
                bucket,
                func.sum(amount),
                func.sum(case((postings.c.account == PD_SPEND.code, amount), else_=0)),
            )
            .join(accounts, accounts.c.code == postings.c.account)
            .where(accounts.c.kind.in_(("income", "expense")), _between(start, end))
            .group_by(bucket)
        )
        sums: Counter[str] = Counter()
        for name, total, pd in rows:
            sums[name] += -int(total) if name.endswith("_income") else int(total)
            sums["pd_spend"] += int(pd)
        statutory_by_grant = await self._session.scalar(
            select(func.coalesce(func.sum(-amount), 0)).where(
                postings.c.account.like("statutory:income:%"),
                postings.c.funding_source == "grant",
                _between(start, end),
            )
        )
        sums["statutory_grant_income"] = int(statutory_by_grant or 0)
        return dict(sums)

    async def buyers(self, *, start: date, end: date) -> dict[int, str | None]:
        """URN → phase of every school that bought in the range: a sale is the only posting
        that debits a school's receivable or Stripe clearing with its URN on it."""
        rows = await self._session.execute(
            select(postings.c.urn, func.max(postings.c.phase))
            .where(
                postings.c.account.in_((SCHOOL_RECEIVABLES.code, STRIPE_CLEARING.code)),
                postings.c.amount_pence > 0,
                postings.c.urn.is_not(None),
                postings.c.dated >= start,
                postings.c.dated <= end,
            )
            .group_by(postings.c.urn)
        )
        return {urn: phase for urn, phase in rows}

    async def net_assets(self, *, as_of: date) -> int:
        return int(
            await self._session.scalar(
                select(func.coalesce(func.sum(postings.c.amount_pence), 0))
                .join(accounts, accounts.c.code == postings.c.account)
                .where(accounts.c.kind.in_(("asset", "liability")), postings.c.posted_on <= as_of)
            )
            or 0
        )

    async def monthly_net_burn(self, months: list[str]) -> list[int]:
        """Costs less income in each month (positive: reserves were spent)."""
        rows = await self._session.execute(
            select(postings.c.month, func.sum(postings.c.amount_pence))
            .join(accounts, accounts.c.code == postings.c.account)
            .where(accounts.c.kind.in_(("income", "expense")), postings.c.month.in_(months))
            .group_by(postings.c.month)
        )
        found = {month: int(total) for month, total in rows}
        return [found.get(month, 0) for month in months]

    async def clearing_by_reference(self) -> dict[str, tuple[int, date]]:
        """Payment reference → net Stripe clearing from sales and refunds, and its first day."""
        rows = await self._session.execute(
            select(
                postings.c.document,
                func.sum(postings.c.amount_pence),
                func.min(postings.c.posted_on),
            )
            .join(transactions, transactions.c.id == postings.c.transaction_id)
            .where(postings.c.account == STRIPE_CLEARING.code, transactions.c.kind != "payout")
            .group_by(postings.c.document)
        )
        return {document: (int(total), first) for document, total, first in rows}

    async def clearing_balance(self) -> int:
        return int(
            await self._session.scalar(
                select(func.coalesce(func.sum(postings.c.amount_pence), 0)).where(
                    postings.c.account == STRIPE_CLEARING.code
                )
            )
            or 0
        )
