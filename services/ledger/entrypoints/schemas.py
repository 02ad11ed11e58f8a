"""HTTP models of the ledger API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends
from pydantic import BaseModel, Field

from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.auth import Principal, Role
from shared.deps import unit_of_work
from shared.http import require
from shared.money import Strand

UnitOfWorkDep = Annotated[LedgerUnitOfWork, Depends(unit_of_work)]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]


class BalancePublic(BaseModel):
    code: str
    name: str
    kind: str
    strand: Strand | None
    balance_pence: int


class IncomeByStrandPublic(BaseModel):
    traded_pence: int
    statutory_pence: int
    total_pence: int


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
    strand: str  # traded, statutory, or core
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
    strand: str
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


class PeriodReopen(BaseModel):
    reason: str = Field(min_length=3, max_length=300)


class PeriodEventPublic(BaseModel):
    """One closing or reopening of a month, for the audit."""

    month: str
    action: str  # closed | reopened
    by: str
    at: datetime
    reason: str | None


class ReversalCreate(BaseModel):
    reason: str = Field(min_length=3, max_length=200)
    on: date | None = None  # today if not given


class JournalLineCreate(BaseModel):
    account: str
    amount_pence: int  # debit positive, credit negative
    urn: int | None = None
    contract_id: str | None = None
    document: str | None = None


class JournalCreate(BaseModel):
    reference: str = Field(min_length=1, max_length=80)
    description: str = Field(min_length=3, max_length=200)
    on: date
    lines: list[JournalLineCreate] = Field(min_length=2)


class PayoutCreate(BaseModel):
    payout_id: str = Field(min_length=1, max_length=60)
    arrival_on: date
    amount_pence: int
    fee_pence: int = 0
    payment_references: list[str]


class ImportedPublic(BaseModel):
    imported: int
