"""What the ledger API accepts and answers, the finance reports' shape included."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.bounds import Day, Label, Line, Paragraph, Pence, SignedPence, Urn
from shared.limits import MAX_ITEMS
from shared.money import Strand


class BalancePublic(BaseModel):
    code: str
    name: str
    kind: str
    strand: Strand | None  # None: an account shared by the strands, or a core account
    balance_pence: int


class IncomeByStrandPublic(BaseModel):
    traded_pence: int
    statutory_pence: int
    total_pence: int
    start: date  # 1 April of the financial year of `as_of`
    as_of: date
    counts: str  # what the figures count, in words


class PostingPublic(BaseModel):
    account: str
    amount_pence: int
    urn: int | None = None
    phase: str | None = None
    la_code: str | None = None
    service_id: str | None = None
    category: str | None = None
    contract_id: str | None = None
    funding_source: str | None = None
    document: str | None = None


class TransactionPublic(BaseModel):
    id: UUID
    source_key: str
    source_event_id: str | None
    source_subject: str
    kind: str
    strand: Strand
    description: str
    dated: date
    posted_on: date
    financial_year: str
    note: str | None
    reverses_id: UUID | None
    postings: list[PostingPublic]


class JournalLinePublic(BaseModel):
    account: str
    account_name: str
    debit_pence: int
    credit_pence: int


class SchedulePartPublic(BaseModel):
    on: date
    pence: int
    posted: bool


class SchedulePublic(BaseModel):
    """When a sale's deferred income becomes income: each part once."""

    parts: list[SchedulePartPublic]
    count: int
    each_pence: int | None  # None when the parts differ
    total_pence: int
    recognised_pence: int
    first_on: date
    last_on: date


class JournalEntryPublic(BaseModel):
    """A journal entry as an accountant reads it; `/transactions/{id}` has its postings."""

    id: UUID
    posted_on: date
    dated: date
    reference: str
    description: str
    kind: str
    strand: Strand
    note: str | None
    urn: int | None
    school_name: str | None
    document_kind: str  # invoice, card payment, LA invoice, contract, journal, payout, reversal
    document: str | None
    contract_id: str | None
    contract_reference: str | None
    contract_title: str | None
    lines: list[JournalLinePublic]
    schedule: SchedulePublic | None


class PeriodPublic(BaseModel):
    month: str
    closed_by: str


class ReopeningCreate(BaseModel):
    reason: Paragraph = Field(min_length=3, max_length=300)


class PeriodEventPublic(BaseModel):
    """One closing or reopening of a month, for the audit."""

    month: str
    action: str  # closed | reopened
    by: str
    at: datetime
    reason: str | None


class ReversalCreate(BaseModel):
    reason: Line = Field(min_length=3)
    on: Day | None = None  # today if not given


class JournalLineCreate(BaseModel):
    account: Label
    amount_pence: SignedPence  # debit positive, credit negative
    urn: Urn | None = None
    contract_id: Label | None = None
    document: Label | None = None


class JournalCreate(BaseModel):
    reference: Line = Field(min_length=1, max_length=80)
    description: Line = Field(min_length=3)
    on: Day
    lines: list[JournalLineCreate] = Field(min_length=2, max_length=MAX_ITEMS)


MAX_PAYMENTS_IN_A_PAYOUT = 100_000
MAX_PAYOUTS_IN_A_REPORT = 1000


class PayoutCreate(BaseModel):
    payout_id: Label = Field(min_length=1)
    arrival_on: Day
    amount_pence: SignedPence
    fee_pence: Pence = 0
    payment_references: list[Label] = Field(max_length=MAX_PAYMENTS_IN_A_PAYOUT)


class ImportedPublic(BaseModel):
    imported: int


class TrialBalancePublic(BaseModel):
    as_of: date
    debits_pence: int
    credits_pence: int
    difference_pence: int


class HeadingPublic(BaseModel):
    """A report's column as a person reads it: its heading in words and the unit of its
    figures."""

    key: str
    heading: str
    unit: str  # pounds (the figures are pence), percent, months or text


class ReportPublic(BaseModel):
    """Every ledger report: a title, columns and rows, and headline figures beside them."""

    model_config = ConfigDict(extra="allow")

    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    headings: list[HeadingPublic] = []

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self.model_extra or {})
