"""The event the ledger records: a transaction in a strand, posted, for the other services
(evaluation counts a programme's costs from it)."""

from __future__ import annotations

from datetime import date

from services.ledger.domain.transaction import JournalTransaction
from shared.calendar import financial_year
from shared.events import TransactionPostedV1
from shared.events.ledger import PostingV1
from shared.money import Strand


def transaction_posted(transaction: JournalTransaction, posted_on: date) -> TransactionPostedV1:
    assert transaction.strand is not Strand.CORE
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
