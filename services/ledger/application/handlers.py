"""Ledger use cases: post a money event to the book, once."""

from __future__ import annotations

from typing import Any

from services.ledger.application.posting import POSTING_RULES
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.transaction import JournalTransaction
from shared.events import Envelope, TransactionPostedV1
from shared.events.ledger import PostingV1


async def post_event(uow: LedgerUnitOfWork, envelope: Envelope[Any]) -> JournalTransaction:
    rule = POSTING_RULES[type(envelope.payload)]
    transaction = rule(envelope)
    await uow.book.post(transaction)
    uow.record(transaction_posted(transaction))
    return transaction


def transaction_posted(transaction: JournalTransaction) -> TransactionPostedV1:
    return TransactionPostedV1(
        transaction_id=transaction.id,
        source_event_id=transaction.source.event_id,
        source_subject=transaction.source.subject,
        strand=transaction.strand,
        description=transaction.description,
        posted_on=transaction.posted_on,
        financial_year=transaction.financial_year,
        postings=tuple(
            PostingV1(account=posting.account.code, amount_pence=posting.amount_pence)
            for posting in transaction.postings
        ),
    )
