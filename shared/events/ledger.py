from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.bounds import (
    Day,
    EventItems,
    FinancialYear,
    Label,
    Line,
    Paragraph,
    SignedTotalPence,
    Urn,
)
from shared.events.base import Event
from shared.money import Strand

Id = Annotated[Label, Field(max_length=36)]  # a UUID as text


class PostingV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    account: Annotated[Line, Field(max_length=120)]
    amount_pence: SignedTotalPence  # debit positive, credit negative
    urn: Urn | None = None
    service_id: Id | None = None
    category: Label | None = None
    contract_id: Id | None = None


class TransactionPostedV1(Event):
    """A balanced journal transaction was written to the book."""

    subject = "ledger.transaction.posted.v1"

    transaction_id: UUID
    source_event_id: UUID
    source_subject: Line
    strand: Strand
    description: Paragraph
    posted_on: Day
    financial_year: FinancialYear
    postings: Annotated[tuple[PostingV1, ...], EventItems]
