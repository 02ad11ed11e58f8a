"""The ledger API: account balances, the finance reports (as JSON, CSV or XLSX) and periods."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.portal.adapters.http import ApiClient, Download
from shared.api.ledger import (
    BalancePublic,
    IncomeByStrandPublic,
    JournalEntryPublic,
    PeriodEventPublic,
    PeriodPublic,
    ReportPublic,
    TrialBalancePublic,
)


class LedgerApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def balances(self, as_of: date) -> list[BalancePublic]:
        found = await self._api.get("/balances", as_of=as_of.isoformat())
        return [BalancePublic.model_validate(row) for row in found]

    async def trial_balance(self, as_of: date) -> TrialBalancePublic:
        found = await self._api.get("/reports/trial-balance", as_of=as_of.isoformat())
        return TrialBalancePublic.model_validate(found)

    async def income_by_strand(self, as_of: date) -> IncomeByStrandPublic:
        found = await self._api.get("/reports/income-by-strand", as_of=as_of.isoformat())
        return IncomeByStrandPublic.model_validate(found)

    async def journal(self) -> list[JournalEntryPublic]:
        return [JournalEntryPublic.model_validate(row) for row in await self._api.get("/journal")]

    async def report(self, name: str, **params: Any) -> ReportPublic:
        return ReportPublic.model_validate(await self._api.get(f"/reports/{name}", **params))

    async def report_file(self, name: str, file_format: str, **params: Any) -> Download:
        return await self._api.download(f"/reports/{name}", format=file_format, **params)

    async def periods(self) -> list[PeriodPublic]:
        return [PeriodPublic.model_validate(row) for row in await self._api.get("/periods")]

    async def close_period(self, month: str) -> PeriodPublic:
        return PeriodPublic.model_validate(await self._api.post(f"/periods/{month}/close"))

    async def reopen_period(self, month: str, reason: str) -> PeriodEventPublic:
        answer = await self._api.post(f"/periods/{month}/reopen", {"reason": reason})
        return PeriodEventPublic.model_validate(answer)

    async def period_history(self) -> list[PeriodEventPublic]:
        return [
            PeriodEventPublic.model_validate(row) for row in await self._api.get("/periods/history")
        ]
