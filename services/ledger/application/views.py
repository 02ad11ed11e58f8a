"""What the ledger's routes read: each view opens the unit of work it reads in (reads commit
nothing) and returns the book's rows for the route to shape. The finance reports are read in
`reports.py`."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.ledger.application import journal_as_read
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.accounts import FIXED
from services.ledger.domain.la_payments import LaInvoiceOwed, LaPaymentRecorded
from shared.errors import NotFound


async def chart_of_accounts(uow: LedgerUnitOfWork, *, today: date) -> list[dict[str, Any]]:
    """The fixed accounts and every income account opened so far, each with its balance today."""
    async with uow:
        opened = {row["code"]: row for row in await uow.book.balances(as_of=today)}
    for account in FIXED:
        opened.setdefault(
            account.code,
            {
                "code": account.code,
                "name": account.name,
                "kind": account.kind,
                "strand": account.strand,
                "balance_pence": 0,
            },
        )
    return [opened[code] for code in sorted(opened)]


async def balances(uow: LedgerUnitOfWork, *, as_of: date) -> list[dict[str, Any]]:
    async with uow:
        return await uow.book.balances(as_of=as_of)


async def transactions(
    uow: LedgerUnitOfWork,
    *,
    source_event_id: str | None,
    account: str | None,
    limit: int | None,
    offset: int,
) -> list[dict[str, Any]]:
    async with uow:
        return await uow.book.transactions_for(
            source_event_id=source_event_id, account=account, limit=limit, offset=offset
        )


async def transaction(uow: LedgerUnitOfWork, transaction_id: UUID) -> dict[str, Any]:
    async with uow:
        found = await uow.book.transactions_for(transaction_id=transaction_id)
    if not found:
        raise NotFound(f"no transaction {transaction_id}")
    return found[0]


async def journal(
    uow: LedgerUnitOfWork, *, as_of: date, limit: int, offset: int
) -> list[dict[str, Any]]:
    """A page of the entries posted on or before `as_of`, newest first, as an accountant reads
    them (see `journal_as_read.py`)."""
    async with uow:
        found = await uow.book.newest_first(posted_by=as_of, limit=limit, offset=offset)
        sales = [row["source_event_id"] for row in found if journal_as_read.is_the_sale(row)]
        recognitions = (
            await uow.book.recognitions_of(sales) + await uow.schedule.waiting_for(sales)
            if sales
            else []
        )
        names = journal_as_read.Names(
            accounts=await uow.book.account_names(),
            schools={urn: name for urn, (name, _, _) in (await uow.register.names()).items()},
            contracts=await uow.register.contract_names(),
        )
        documents = [
            p["document"]
            for row in found
            if journal_as_read.is_a_sale(row)
            for p in row["postings"]
            if p["document"]
        ]
        held = await uow.deliveries.held_by_document(documents) if documents else {}
    return journal_as_read.entries(found, recognitions, names, as_of=as_of, held=held)


async def closed_periods(uow: LedgerUnitOfWork) -> list[dict[str, Any]]:
    async with uow:
        return await uow.book.periods()


async def period_history(uow: LedgerUnitOfWork) -> list[dict[str, Any]]:
    """Every closing and reopening of a month, newest first."""
    async with uow:
        return await uow.book.period_events()


async def la_invoices_owed(uow: LedgerUnitOfWork) -> list[LaInvoiceOwed]:
    """Every invoice to the LA in the book: what was paid of it and what is left."""
    async with uow:
        return await uow.la_invoices.owed()


async def la_payments(uow: LedgerUnitOfWork, number: str) -> list[LaPaymentRecorded]:
    """The LA's payments of one invoice to it, the latest received first."""
    async with uow:
        if not await uow.la_invoices.owed(number):
            raise NotFound(f"the book has no invoice {number} to the LA", field="invoice_number")
        return await uow.la_invoices.payments(number)
