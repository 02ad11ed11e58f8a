"""Ledger use cases: post a money event to the book once; recognise income as it falls due;
close or reopen a month; reverse a transaction; post finance's own journals; learn the
schools register."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from services.ledger.adapters.book_writes import Staged
from services.ledger.application.posting import POSTING_RULES
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.periods import posting_date
from services.ledger.domain.recognition import not_yet_due
from services.ledger.domain.reconciliation import Payout, paid_out
from services.ledger.domain.transaction import JournalTransaction, reversal
from shared.calendar import financial_year
from shared.errors import Conflict, Invalid, NotFound
from shared.events import (
    ContractSignedV1,
    Envelope,
    SchoolRegisteredV1,
    TransactionPostedV1,
    caused_event_id,
)
from shared.events.ledger import PostingV1


async def post_event(uow: LedgerUnitOfWork, envelope: Envelope[Any], *, today: date) -> None:
    """Post what a money event means; a transaction already in the book is left alone. Income
    it recognises after `today` is scheduled, for `recognise_due` to post on its day."""
    lines = getattr(envelope.payload, "lines", None) or ()
    uow.writes.name_services({str(line.service_id): line.title for line in lines})
    now, later = not_yet_due(POSTING_RULES[type(envelope.payload)].post(envelope), today)
    uow.writes.schedule(later)
    await post(uow, now)


async def recognise_due(uow: LedgerUnitOfWork, *, today: date) -> list[JournalTransaction]:
    """Post every scheduled recognition whose day has come (the recognition job). A rerun finds
    them in the book and posts nothing; of two workers running it at once, the second's
    insert of the same keys fails and it rolls back, leaving them to the first."""
    async with uow:
        await post(uow, await uow.schedule.due(today))
        await uow.commit()
    return [entry.transaction for entry in uow.posted]


async def post(uow: LedgerUnitOfWork, transactions: list[JournalTransaction]) -> None:
    """Stage these to be posted when the unit of work commits, unless their cause is in the
    book by then."""
    if not transactions:
        return
    closed = await uow.closed_months()
    for transaction in transactions:
        posted_on, note = posting_date(transaction.dated, closed)
        announcement = None
        if transaction.strand is not None:
            announcement = uow.envelope(
                transaction_posted(transaction, posted_on),
                event_id=caused_event_id(transaction.id, TransactionPostedV1.subject),
            )
        else:  # finance's own journals and Stripe payouts: no other service needs them
            uow.audit(
                "transaction.posted",
                object_type="transaction",
                object_id=transaction.id,
                summary=transaction.description,
            )
        uow.writes.post(Staged(transaction, posted_on, note, announcement))


async def register_school(uow: LedgerUnitOfWork, envelope: Envelope[SchoolRegisteredV1]) -> None:
    """The register is the denominator of the buy-back rate."""
    await uow.register.save(envelope.payload)


async def name_contract(uow: LedgerUnitOfWork, envelope: Envelope[ContractSignedV1]) -> None:
    """The statutory reports lead with a contract's reference and title, not its id."""
    await uow.register.name_contract(envelope.payload)


async def close_period(uow: LedgerUnitOfWork, *, month: str, by: str) -> None:
    _check_month(month)
    async with uow:
        if month in await uow.book.closed_months():
            raise Conflict(f"period {month} is already closed", field="month")
        await uow.book.close(month, by=by)
        uow.audit("period.closed", object_type="period", object_id=month)
        await uow.commit()


async def reopen_period(uow: LedgerUnitOfWork, *, month: str, by: str, reason: str) -> None:
    """A reopened month takes postings again; those already moved to the next month stay."""
    _check_month(month)
    async with uow:
        if month not in await uow.book.closed_months():
            raise Conflict(f"period {month} is not closed", field="month")
        await uow.book.reopen(month, by=by, reason=reason)
        uow.audit("period.reopened", object_type="period", object_id=month, summary=reason)
        await uow.commit()


def _check_month(month: str) -> None:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise Invalid("a period is a month written YYYY-MM", field="month")


async def reverse(
    uow: LedgerUnitOfWork, *, transaction_id: UUID, on: date, reason: str
) -> JournalTransaction:
    async with uow:
        original = await uow.book.transaction(transaction_id)
        if original is None:
            raise NotFound(f"no transaction {transaction_id}")
        if original.reverses is not None:
            raise Conflict("a reversal is not reversed; post the correction again instead")
        if await uow.book.reversal_of(transaction_id):
            raise Conflict(f"transaction {transaction_id} is already reversed")
        undo = reversal(original, on=on, reason=reason, original_id=transaction_id)
        await post(uow, [undo])
        await uow.commit()
    return undo


async def post_journal(uow: LedgerUnitOfWork, journal: JournalTransaction) -> bool:
    """True if posted now; False if finance's reference was posted before."""
    async with uow:
        await post(uow, [journal])
        await uow.commit()
    return bool(uow.posted)


def transaction_posted(transaction: JournalTransaction, posted_on: date) -> TransactionPostedV1:
    assert transaction.strand is not None
    return TransactionPostedV1(
        transaction_id=transaction.id,
        source_event_id=transaction.source.event_id or transaction.id,
        source_subject=transaction.source.subject,
        strand=transaction.strand,
        description=transaction.description,
        posted_on=posted_on,
        financial_year=financial_year(posted_on),
        postings=tuple(
            PostingV1(
                account=posting.account.code,
                amount_pence=posting.amount_pence,
                urn=posting.dimensions.urn,
                service_id=posting.dimensions.service_id,
                category=posting.dimensions.category,
                contract_id=posting.dimensions.contract_id,
            )
            for posting in transaction.postings
        ),
    )


async def import_payouts(uow: LedgerUnitOfWork, payouts: list[Payout]) -> int:
    """Record Stripe payouts and empty clearing by each; a payout imported twice counts once."""
    imported = 0
    async with uow:
        for payout in payouts:
            if await uow.payouts.known(payout.payout_id):
                continue
            await uow.payouts.add(payout)
            await post(uow, [paid_out(payout)])
            imported += 1
        await uow.commit()
    return imported
