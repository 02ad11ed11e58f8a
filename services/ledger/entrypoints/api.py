"""Ledger HTTP API: balances and the first finance reports (finance and admin only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.auth import Principal, Role
from shared.deps import unit_of_work
from shared.http import require
from shared.money import Strand

router = APIRouter(tags=["ledger"])

UnitOfWorkDep = Annotated[LedgerUnitOfWork, Depends(unit_of_work)]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]


class BalancePublic(BaseModel):
    code: str
    name: str
    kind: str
    strand: Strand | None
    balance_pence: int


class TrialBalancePublic(BaseModel):
    debits_pence: int
    credits_pence: int
    difference_pence: int


class IncomeByStrandPublic(BaseModel):
    traded_pence: int
    statutory_pence: int
    total_pence: int


class PostingPublic(BaseModel):
    account: str
    amount_pence: int


class TransactionPublic(BaseModel):
    id: UUID
    source_event_id: str
    source_subject: str
    strand: Strand
    description: str
    posted_on: date
    financial_year: str
    postings: list[PostingPublic]


@router.get("/balances")
async def balances(uow: UnitOfWorkDep, _: Finance) -> list[BalancePublic]:
    """Every account's balance in pence (debit positive, credit negative)."""
    async with uow:
        return [BalancePublic.model_validate(row) for row in await uow.book.balances()]


@router.get("/reports/trial-balance")
async def trial_balance(uow: UnitOfWorkDep, _: Finance) -> TrialBalancePublic:
    """Total debits and credits; the difference is always zero."""
    async with uow:
        debits, credits = await uow.book.trial_balance()
    return TrialBalancePublic(
        debits_pence=debits, credits_pence=credits, difference_pence=debits - credits
    )


@router.get("/reports/income-by-strand")
async def income_by_strand(uow: UnitOfWorkDep, _: Finance) -> IncomeByStrandPublic:
    """Income recognised in each strand, never mixed."""
    async with uow:
        income = await uow.book.income_by_strand()
    traded, statutory = income.get(Strand.TRADED, 0), income.get(Strand.STATUTORY, 0)
    return IncomeByStrandPublic(
        traded_pence=traded, statutory_pence=statutory, total_pence=traded + statutory
    )


@router.get("/transactions")
async def list_transactions(
    uow: UnitOfWorkDep, _: Finance, source_event_id: str | None = None
) -> list[TransactionPublic]:
    """Journal transactions, optionally the one a given event caused."""
    async with uow:
        found = await uow.book.transactions_for(source_event_id)
    return [TransactionPublic.model_validate(row) for row in found]
