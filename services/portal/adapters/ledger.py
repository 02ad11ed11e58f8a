"""The ledger API: account balances and the finance reports."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient


class Balance(BaseModel):
    code: str
    name: str
    kind: str
    strand: str | None
    balance_pence: int


class TrialBalance(BaseModel):
    debits_pence: int
    credits_pence: int
    difference_pence: int


class IncomeByStrand(BaseModel):
    traded_pence: int
    statutory_pence: int
    total_pence: int


class Posting(BaseModel):
    account: str
    amount_pence: int


class Transaction(BaseModel):
    id: UUID
    strand: str
    description: str
    posted_on: date
    financial_year: str
    postings: list[Posting]


class LedgerApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def balances(self) -> list[Balance]:
        return [Balance.model_validate(row) for row in await self._api.get("/balances")]

    async def trial_balance(self) -> TrialBalance:
        return TrialBalance.model_validate(await self._api.get("/reports/trial-balance"))

    async def income_by_strand(self) -> IncomeByStrand:
        return IncomeByStrand.model_validate(await self._api.get("/reports/income-by-strand"))

    async def transactions(self) -> list[Transaction]:
        return [Transaction.model_validate(row) for row in await self._api.get("/transactions")]
