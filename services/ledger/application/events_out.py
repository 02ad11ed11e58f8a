"""The event the ledger records: a transaction in a strand, posted, for the other services
(evaluation counts a programme's costs from it)."""

from __future__ import annotations

from datetime import date

from services.ledger.domain.transaction import JournalTransaction, Posting
from shared.calendar import financial_year
from shared.events import TransactionPostedV1
from shared.events.ledger import PostingV1
from shared.money import Strand

PostingKey = tuple[str, int | None, str | None, str | None, str | None]
"""What the event says of a posting beside its amount: account, URN, service, category and
contract (a posting's other dimensions stay in the book)."""


def transaction_posted(transaction: JournalTransaction, posted_on: date) -> TransactionPostedV1:
    """The event carries the transaction's postings summed by what it says of each: a sale
    defers each subscription line's income month by month, all of one line alike here, so an
    invoice of a trust's many lines makes an event of a posting or two a line, which the bus
    carries, not one a month. Evaluation adds up what it reads, so it loses nothing."""
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
                account=account,
                amount_pence=pence,
                urn=urn,
                service_id=service_id,
                category=category,
                contract_id=contract_id,
            )
            for (account, urn, service_id, category, contract_id), pence in summed(
                transaction.postings
            ).items()
        ),
    )


def summed(postings: tuple[Posting, ...]) -> dict[PostingKey, int]:
    """The postings' amounts added together by what the event says of each, in the order each
    is first posted (so the same transaction always makes the same event)."""
    sums: dict[PostingKey, int] = {}
    for posting in postings:
        at = posting.dimensions
        key = (posting.account.code, at.urn, at.service_id, at.category, at.contract_id)
        sums[key] = sums.get(key, 0) + posting.amount_pence
    return sums
