"""The sums the finance reports are built from: the balances kept as postings are made (see
`balances.py`), and the postings themselves only for the days of a month not yet whole."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.balances import (
    NO_DOCUMENT,
    NO_SCHOOL,
    Period,
    amount,
    period,
    sums,
)
from services.ledger.adapters.tables import (
    SCHOOL_DIMENSIONS,
    accounts,
    balances_across_schools,
    open_items,
    postings,
    transactions,
)
from services.ledger.domain.accounts import (
    DEFERRED_INCOME,
    PD_SPEND,
    STRIPE_CLEARING,
)
from services.ledger.domain.reports import Debtor, OpenInvoice
from shared.money import Strand

BY = {  # a report's dimension → the column of `balances` and `journal_postings`
    "service": "service_id",
    "category": "category",
    "cfr": "cfr_code",
    "school": "urn",
    "phase": "phase",
    "la": "la_code",
    "month": "month",
    "account": "account",
    "strand": "strand",
}


def _debtor(urn: int, trust: str | None) -> Debtor:
    return (None if urn == NO_SCHOOL else urn, trust)


def _kind_in(*kinds: str) -> Callable[[Any], ColumnElement[bool]]:
    return lambda table: accounts.c.kind.in_(kinds)


class Reports:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def statement(
        self, account: str, *, start: date, end: date, limit: int | None = None, offset: int = 0
    ) -> dict[str, Any]:
        """The account's postings from `start` to `end` (a page of them, if `limit`), read by
        the (account, day) index, with a running balance; the opening balance comes from the
        balances, plus the postings of the range before the page."""
        opening = await self._total(
            period(None, start - timedelta(days=1)), lambda table: table.c.account == account
        )
        in_range = (
            postings.c.account == account,
            postings.c.posted_on >= start,
            postings.c.posted_on <= end,
        )
        order = (postings.c.posted_on, postings.c.id)
        if offset:
            before = (
                select(postings.c.amount_pence).where(*in_range).order_by(*order).limit(offset)
            ).subquery()
            opening += int(
                await self._session.scalar(
                    select(func.coalesce(func.sum(before.c.amount_pence), 0))
                )
                or 0
            )
        page = (  # the page first, by the index: only its own lines look up their transaction
            select(
                postings.c.id,
                postings.c.posted_on,
                postings.c.amount_pence,
                postings.c.urn,
                postings.c.trust_code,
                postings.c.document,
                postings.c.transaction_id,
            )
            .where(*in_range)
            .order_by(*order)
            .limit(limit)
            .offset(offset)
        ).subquery()
        rows = await self._session.execute(
            select(
                page.c.posted_on,
                page.c.amount_pence,
                page.c.urn,
                page.c.trust_code,
                page.c.document,
                transactions.c.id.label("transaction_id"),
                transactions.c.kind,
                transactions.c.description,
                transactions.c.source_event_id,
                transactions.c.source_subject,
                transactions.c.note,
            )
            .join(transactions, transactions.c.id == page.c.transaction_id)
            .order_by(page.c.posted_on, page.c.id)
        )
        balance = opening
        lines = []
        for row in rows:
            balance += row.amount_pence
            lines.append({**row._mapping, "balance_pence": balance})
        return {"opening_pence": opening, "lines": lines, "closing_pence": balance}

    async def income(
        self, by: str, *, start: date, end: date, strand: Strand | None = None
    ) -> dict[Any, int]:
        """Income recognised from `start` to `end` (credits to income accounts, as positive
        pence) by a dimension, in one strand or all: every income figure is cut from this."""

        def income_of(table: Any) -> ColumnElement[bool]:
            condition = accounts.c.kind == "income"
            return condition if strand is None else and_(condition, table.c.strand == strand)

        found = await sums(
            self._session,
            period(start, end),
            by=lambda table: [table.c[BY[by]]],
            where=income_of,
            by_school=BY[by] in SCHOOL_DIMENSIONS,
        )
        return {key: -total for (key,), (total,) in found.items()}

    async def by_contract(self, *, start: date, end: date) -> list[dict[str, Any]]:
        """Statutory income and cost for each contract, with the income account that names it."""
        found = await sums(
            self._session,
            period(start, end),
            by=lambda table: [table.c.contract_id, accounts.c.kind, accounts.c.name],
            where=lambda table: and_(
                table.c.account.like("statutory:%"), accounts.c.kind.in_(("income", "expense"))
            ),
        )
        contracts: dict[Any, dict[str, Any]] = {}
        for (contract_id, kind, name), (total,) in sorted(
            found.items(), key=lambda item: str(item[0])
        ):
            row = contracts.setdefault(
                contract_id,
                {"contract_id": contract_id, "account_name": None, "income": 0, "cost": 0},
            )
            if kind == "income":
                row["income"] -= total
                row["account_name"] = max(row["account_name"] or "", name)
            else:
                row["cost"] += total
        return list(contracts.values())

    async def open_invoice_bands(
        self,
        *,
        account: str,
        as_of: date,
        edges: list[tuple[str, date]],
        last_band: str,
        posted_to_since: bool = True,
    ) -> dict[Debtor, dict[str, int]]:
        """Debtor (a school, a trust, or the LA as (None, None)) → pence owed by band of the
        invoice's day, on the invoices of this receivables account that nothing was posted to
        after `as_of` (what is owed on them now is what was owed then). With `posted_to_since`
        False (nothing posted to the account since), every invoice counts. What a debtor is owed
        back on an invoice counts against it, and a credit under a document nothing was ever
        owed on (no invoice of the book's) in the newest band: so the bands add up to the
        account."""
        names = [*(name for name, _ in edges), last_band]
        first = func.coalesce(open_items.c.first_debit_on, as_of)

        def within(index: int) -> ColumnElement[bool]:  # on or after its edge, before the last
            return and_(
                first >= edges[index][1] if index < len(edges) else true(),
                first < edges[index - 1][1] if index else true(),
            )

        rows = await self._session.execute(
            select(
                open_items.c.urn,
                open_items.c.trust_code,
                *(
                    func.sum(case((within(index), open_items.c.amount_pence)))
                    for index in range(len(names))
                ),
            )
            .where(
                open_items.c.account == account,
                open_items.c.amount_pence != 0,
                ~self._posted_after(as_of).exists() if posted_to_since else true(),
            )
            .group_by(open_items.c.urn, open_items.c.trust_code)
        )
        found: dict[Debtor, dict[str, int]] = {}
        for urn, trust, *owed in rows:
            found[_debtor(urn, trust)] = {
                name: int(pence)
                for name, pence in zip(names, owed, strict=True)
                if pence is not None
            }
        return found

    async def receivables_posted_to_after(self, account: str, as_of: date) -> bool:
        found = await self._session.scalar(
            select(postings.c.id)
            .where(postings.c.account == account, postings.c.posted_on > as_of)
            .limit(1)
        )
        return found is not None

    async def invoices_posted_to_after(self, account: str, as_of: date) -> list[OpenInvoice]:
        """The invoices of this receivables account something was posted to after `as_of`,
        each with what was owed on it then (less than nothing when the debtor was owed back; on
        a document never owed on, dated `as_of`)."""
        later = (
            select(postings.c.urn, postings.c.document, func.sum(postings.c.amount_pence))
            .where(postings.c.account == account, postings.c.posted_on > as_of)
            .group_by(postings.c.urn, postings.c.document)
        )
        since = {
            (NO_SCHOOL if urn is None else urn, document or NO_DOCUMENT): int(pence)
            for urn, document, pence in await self._session.execute(later)
        }
        if not since:
            return []
        items = await self._session.execute(
            select(open_items.c.urn, open_items.c.document, open_items.c.first_debit_on,
                   open_items.c.amount_pence, open_items.c.trust_code)
            .where(open_items.c.account == account, self._posted_after(as_of).exists())
        )  # fmt: skip
        return [
            OpenInvoice(
                _debtor(urn, trust)[0], document, invoiced_on or as_of, owed, trust_code=trust
            )
            for urn, document, invoiced_on, pence, trust in items
            if (owed := int(pence) - since.get((urn, document), 0)) != 0
        ]

    @staticmethod
    def _posted_after(as_of: date) -> Any:
        return select(postings.c.id).where(
            postings.c.account == open_items.c.account,
            postings.c.posted_on > as_of,
            func.coalesce(postings.c.urn, NO_SCHOOL) == open_items.c.urn,
            func.coalesce(postings.c.document, NO_DOCUMENT) == open_items.c.document,
        )

    async def income_and_cost(self, *, start: date, end: date) -> dict[str, int]:
        """By bucket: traded/statutory/grant income (statutory grant-funded counts as grant),
        traded/statutory/core cost, and staff development."""

        def bucket(table: Any) -> list[ColumnElement[Any]]:
            grant = (table.c.funding_source == "grant") | (table.c.account == "grant:income")
            return [
                case(
                    ((accounts.c.kind == "income") & grant, "grant_income"),
                    (accounts.c.kind == "income", table.c.strand + "_income"),
                    else_=table.c.strand + "_cost",
                )
            ]

        def pd_spend(table: Any) -> ColumnElement[Any]:
            return func.sum(case((table.c.account == PD_SPEND.code, table.c.amount_pence), else_=0))

        within = period(start, end)
        found = await sums(
            self._session,
            within,
            by=bucket,
            measures=(amount, pd_spend),
            where=_kind_in("income", "expense"),
        )
        totals: Counter[str] = Counter()
        for (name,), (total, pd) in found.items():
            totals[name] += -total if name.endswith("_income") else total
            totals["pd_spend"] += pd
        totals["statutory_grant_income"] = -await self._total(
            within,
            lambda table: and_(
                table.c.account.like("statutory:income:%"), table.c.funding_source == "grant"
            ),
        )
        return dict(totals)

    async def buyers(self, *, start: date, end: date) -> set[int]:
        """The URNs of the schools that bought in the range: whose traded sales in it (income
        now, and income deferred to later), less refunds and credit notes, come to more than
        nothing. A school that bought through its academy trust counts: each line of a trust's
        order names its school."""
        found = await sums(
            self._session,
            period(start, end),
            by=lambda table: [table.c.urn],
            where=lambda table: and_(
                table.c.strand == Strand.TRADED,
                (accounts.c.kind == "income") | (table.c.account == DEFERRED_INCOME.code),
                table.c.urn.is_not(None),
            ),
            by_school=True,
        )
        return {urn for (urn,), (total,) in found.items() if total < 0}

    async def net_assets(self, *, as_of: date) -> int:
        return await self._total(period(None, as_of), _kind_in("asset", "liability"))

    async def monthly_net_burn(self, months: list[str]) -> list[int]:
        """Costs less income in each month (positive: reserves were spent)."""
        summary = balances_across_schools
        rows = await self._session.execute(
            select(summary.c.month, func.sum(summary.c.amount_pence))
            .join(accounts, accounts.c.code == summary.c.account)
            .where(accounts.c.kind.in_(("income", "expense")), summary.c.month.in_(months))
            .group_by(summary.c.month)
        )
        found = {month: int(total) for month, total in rows}
        return [found.get(month, 0) for month in months]

    async def _total(self, within: Period, where: Callable[[Any], ColumnElement[bool]]) -> int:
        found = await sums(self._session, within, by=lambda table: [], where=where)
        return sum(total for (total,) in found.values())

    async def clearing_by_reference(self) -> dict[str, list[tuple[date, int]]]:
        """Payment reference → its net Stripe clearing from sales and refunds, day by day (the
        day each was made)."""
        rows = await self._session.execute(
            select(postings.c.document, postings.c.dated, func.sum(postings.c.amount_pence))
            .join(transactions, transactions.c.id == postings.c.transaction_id)
            .where(postings.c.account == STRIPE_CLEARING.code, transactions.c.kind != "payout")
            .group_by(postings.c.document, postings.c.dated)
            .order_by(postings.c.document, postings.c.dated)
        )
        found: dict[str, list[tuple[date, int]]] = {}
        for document, day, total in rows:
            found.setdefault(document, []).append((day, int(total)))
        return found

    async def clearing_balance(self) -> int:
        return int(
            await self._session.scalar(
                select(func.coalesce(func.sum(postings.c.amount_pence), 0)).where(
                    postings.c.account == STRIPE_CLEARING.code
                )
            )
            or 0
        )
