"""Putting transactions in the book: each is staged, to be written when the unit of work
commits (or flushes), posted on its own day or, if that month is closed, on the first day of
the next open one, and announced to the other services if it is in the traded or statutory
strand."""

from __future__ import annotations

from datetime import date

from services.ledger.adapters.book_writes import Staged
from services.ledger.application.events_out import transaction_posted
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.periods import posting_date
from services.ledger.domain.recognition import not_yet_due
from services.ledger.domain.transaction import JournalTransaction
from shared.events import TransactionPostedV1, caused_event_id
from shared.money import Strand


async def post_or_schedule(
    uow: LedgerUnitOfWork, transactions: list[JournalTransaction], today: date
) -> None:
    """Post these, but schedule the recognitions dated after `today`, for the recognition job
    to post on their day."""
    now, later = not_yet_due(transactions, today)
    uow.writes.schedule(later)
    await post(uow, now)


async def post(uow: LedgerUnitOfWork, transactions: list[JournalTransaction]) -> None:
    """Stage these to be posted when the unit of work commits, unless their cause is in the
    book by then."""
    if not transactions:
        return
    closed = await uow.closed_months()
    for transaction in transactions:
        posted_on, note = posting_date(transaction.dated, closed)
        announcement = None
        if transaction.strand is not Strand.CORE:
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
