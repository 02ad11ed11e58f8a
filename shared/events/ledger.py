from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event
from shared.money import Strand


class PostingV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    account: str
    amount_pence: int  # debit positive, credit negative
    urn: int | None = None
    service_id: str | None = None
    category: str | None = None
    contract_id: str | None = None


class TransactionPostedV1(Event):
    """A balanced journal transaction was written to the book."""

    subject = "ledger.transaction.posted.v1"

    transaction_id: UUID
    source_event_id: UUID
    source_subject: str
    strand: Strand
    description: str
    posted_on: date
    financial_year: str
    postings: tuple[PostingV1, ...]
