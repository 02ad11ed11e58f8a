"""The company's invoices to the LA as the book holds them: the postings to receivables: LA
under each invoice's number, told apart by the kind of transaction that made them, what is
left of each in its open item, and the LA's payments of each with who recorded them (and,
for one reversed, its reversal)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.tables import messaging, open_items, postings, transactions
from services.ledger.domain.accounts import LA_RECEIVABLES
from services.ledger.domain.la_payments import (
    LA_PAYMENT_KIND,
    LaInvoiceOwed,
    LaPaymentRecorded,
)
from shared.clock import in_utc


class LaInvoices:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def outstanding(self, number: str) -> tuple[int, date | None] | None:
        """What is left to pay on the invoice and the day it was issued (its first debit's;
        None if the book holds only credits under it), its open item held until this
        transaction ends (two payments recorded at once are weighed one after the other); None
        if the book has no invoice to the LA of this number."""
        owed = await self._session.execute(
            select(open_items.c.amount_pence, open_items.c.first_debit_on)
            .where(open_items.c.account == LA_RECEIVABLES.code, open_items.c.document == number)
            .with_for_update()
        )
        found = owed.all()
        if not found:
            return None
        issued = [day for _, day in found if day is not None]
        return sum(pence for pence, _ in found), min(issued, default=None)

    async def owed(self, number: str | None = None) -> list[LaInvoiceOwed]:
        """Every invoice to the LA (or the one of this number), by number. A reversal counts
        under the kind of what it undoes: a payment reversed is no longer paid."""
        amount = postings.c.amount_pence
        undone = transactions.alias("undone")
        kind = func.coalesce(undone.c.kind, transactions.c.kind)
        query = (
            select(
                postings.c.document,
                kind,
                func.sum(amount),
                func.min(case((amount > 0, postings.c.dated), else_=None)),
            )
            .join(transactions, transactions.c.id == postings.c.transaction_id)
            .outerjoin(undone, undone.c.id == transactions.c.reverses_id)
            .where(postings.c.account == LA_RECEIVABLES.code, postings.c.document.is_not(None))
            .group_by(postings.c.document, kind)
        )
        if number is not None:
            query = query.where(postings.c.document == number)
        by_kind: dict[str, Counter[str]] = {}
        first_debit: dict[str, list[date]] = {}
        for document, kind, pence, debited_on in await self._session.execute(query):
            by_kind.setdefault(document, Counter())[kind] += int(pence)
            if debited_on is not None:
                first_debit.setdefault(document, []).append(debited_on)
        return [
            LaInvoiceOwed(
                number=document,
                invoiced_on=min(first_debit[document]) if document in first_debit else None,
                invoiced_pence=kinds["la_invoice"],
                credited_pence=-kinds["service_credit"],
                paid_pence=-kinds[LA_PAYMENT_KIND],
                outstanding_pence=sum(kinds.values()),
            )
            for document, kinds in sorted(by_kind.items())
        ]

    async def payments(self, number: str) -> list[LaPaymentRecorded]:
        """The LA's payments of the invoice, the latest received first, each reversed one with
        its reversal."""
        reversal = transactions.alias("reversal")
        found = await self._session.execute(
            select(
                transactions.c.id,
                transactions.c.reference,
                transactions.c.dated,
                transactions.c.recorded_at,
                postings.c.amount_pence,
                reversal.c.dated.label("reversed_on"),
                reversal.c.description.label("reversal_description"),
                reversal.c.reversal_reason,
            )
            .join(postings, postings.c.transaction_id == transactions.c.id)
            .outerjoin(reversal, reversal.c.reverses_id == transactions.c.id)
            .where(
                transactions.c.kind == LA_PAYMENT_KIND,
                postings.c.account == LA_RECEIVABLES.code,
                postings.c.document == number,
            )
            .order_by(transactions.c.dated.desc(), transactions.c.recorded_at.desc())
        )
        rows = found.all()
        recorders = await self._recorders([str(row.id) for row in rows])
        return [
            LaPaymentRecorded(
                reference=row.reference,
                amount_pence=-row.amount_pence,
                received_on=row.dated,
                recorded_at=in_utc(row.recorded_at),
                recorded_by=recorders.get(str(row.id)),
                reversed_on=row.reversed_on,
                reversal_description=row.reversal_description,
                reversal_reason=row.reversal_reason,
            )
            for row in rows
        ]

    async def _recorders(self, transaction_ids: list[str]) -> dict[str, str]:
        """Transaction id → who posted it, as the audit trail names them."""
        audit = messaging.audit
        found = await self._session.execute(
            select(audit.c.object_id, audit.c.actor).where(
                audit.c.object_type == "transaction",
                audit.c.action == "transaction.posted",
                audit.c.object_id.in_(transaction_ids),
            )
        )
        return {object_id: actor for object_id, actor in found}
