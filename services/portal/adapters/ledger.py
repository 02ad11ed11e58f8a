"""The ledger API: account balances, the finance reports (as JSON, CSV or XLSX) and periods."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from services.portal.adapters.http import ApiClient, Download


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


class JournalLine(BaseModel):
    account: str
    account_name: str
    debit_pence: int
    credit_pence: int


class SchedulePart(BaseModel):
    on: date
    pence: int
    posted: bool


class Schedule(BaseModel):
    parts: list[SchedulePart]
    count: int
    each_pence: int | None
    total_pence: int
    recognised_pence: int
    first_on: date
    last_on: date


class JournalEntry(BaseModel):
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
    document_kind: str
    document: str | None
    contract_reference: str | None
    contract_title: str | None
    lines: list[JournalLine]
    schedule: Schedule | None


class Heading(BaseModel):
    """A column as a person reads it: its heading in words and the unit of its figures."""

    key: str
    heading: str
    unit: str  # pounds (the figures are pence), percent, months or text


class Report(BaseModel):
    """Every ledger report: a title, columns and rows, and headline figures beside them."""

    model_config = ConfigDict(extra="allow")

    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    headings: list[Heading] = []

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Period(BaseModel):
    month: str
    closed_by: str


class PeriodEvent(BaseModel):
    month: str
    action: str
    by: str
    at: datetime
    reason: str | None


class LedgerApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def balances(self) -> list[Balance]:
        return [Balance.model_validate(row) for row in await self._api.get("/balances")]

    async def trial_balance(self) -> TrialBalance:
        return TrialBalance.model_validate(await self._api.get("/reports/trial-balance"))

    async def income_by_strand(self) -> IncomeByStrand:
        return IncomeByStrand.model_validate(await self._api.get("/reports/income-by-strand"))

    async def journal(self) -> list[JournalEntry]:
        return [JournalEntry.model_validate(row) for row in await self._api.get("/journal")]

    async def report(self, name: str, **params: Any) -> Report:
        return Report.model_validate(await self._api.get(f"/reports/{name}", **params))

    async def report_file(self, name: str, file_format: str, **params: Any) -> Download:
        return await self._api.download(f"/reports/{name}", format=file_format, **params)

    async def periods(self) -> list[Period]:
        return [Period.model_validate(row) for row in await self._api.get("/periods")]

    async def close_period(self, month: str) -> Period:
        return Period.model_validate(await self._api.post(f"/periods/{month}/close"))

    async def reopen_period(self, month: str, reason: str) -> PeriodEvent:
        answer = await self._api.post(f"/periods/{month}/reopen", {"reason": reason})
        return PeriodEvent.model_validate(answer)

    async def period_history(self) -> list[PeriodEvent]:
        return [PeriodEvent.model_validate(row) for row in await self._api.get("/periods/history")]
