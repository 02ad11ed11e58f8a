"""The ledger API: account balances, the finance reports (as JSON, CSV or XLSX), periods, and
the LA's payments of its invoices."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.portal.adapters.http import ApiClient, Download
from shared.api.ledger import (
    REPORTS,
    AgedDebtPublic,
    BalancePublic,
    IncomeByStrandPublic,
    IncomeReportPublic,
    JournalEntryPublic,
    LaInvoiceOwedPublic,
    LaPaymentPublic,
    PeriodEventPublic,
    PeriodPublic,
    ReportPublic,
    SustainabilityPublic,
    TrialBalancePublic,
)
from shared.money import Strand


class LedgerApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def balances(self, as_of: date) -> list[BalancePublic]:
        return await self._api.get_list(BalancePublic, "/balances", as_of=as_of.isoformat())

    async def trial_balance(self, as_of: date) -> TrialBalancePublic:
        return TrialBalancePublic.model_validate(
            await self._api.get("/reports/trial-balance", as_of=as_of.isoformat())
        )

    async def income_by_strand(self, as_of: date) -> IncomeByStrandPublic:
        return IncomeByStrandPublic.model_validate(
            await self._api.get("/reports/income-by-strand", as_of=as_of.isoformat())
        )

    async def journal(self, *, limit: int, offset: int) -> list[JournalEntryPublic]:
        """A page of the journal, newest first."""
        return await self._api.get_list(JournalEntryPublic, "/journal", limit=limit, offset=offset)

    async def income(self, strand: Strand, *, by: str, as_of: date) -> IncomeReportPublic:
        """A strand's income by a dimension (see the ledger's traded- and statutory-income)."""
        return IncomeReportPublic.model_validate(
            await self._api.get(f"/reports/{strand}-income", by=by, as_of=as_of.isoformat())
        )

    async def aged_debt(self, as_of: date) -> AgedDebtPublic:
        return AgedDebtPublic.model_validate(
            await self._api.get("/reports/aged-debt", as_of=as_of.isoformat())
        )

    async def sustainability(self, as_of: date) -> SustainabilityPublic:
        return SustainabilityPublic.model_validate(
            await self._api.get("/reports/sustainability", as_of=as_of.isoformat())
        )

    async def report(self, name: str, **params: Any) -> ReportPublic[Any]:
        """Any of the ledger's reports by the name in its path, as its own model."""
        return REPORTS[name].model_validate(await self._api.get(f"/reports/{name}", **params))

    async def report_file(self, name: str, file_format: str, **params: Any) -> Download:
        return await self._api.download(f"/reports/{name}", format=file_format, **params)

    async def la_invoices(self) -> list[LaInvoiceOwedPublic]:
        """Each invoice to the LA as the book holds it: paid, and left to pay."""
        return await self._api.get_list(LaInvoiceOwedPublic, "/la-invoices")

    async def la_payments(self, number: str) -> list[LaPaymentPublic]:
        """The LA's payments of the invoice, the latest received first."""
        return await self._api.get_list(LaPaymentPublic, f"/la-invoices/{number}/payments")

    async def record_la_payment(self, number: str, fields: dict[str, Any]) -> LaInvoiceOwedPublic:
        return LaInvoiceOwedPublic.model_validate(
            await self._api.post(f"/la-invoices/{number}/payments", fields)
        )

    async def periods(self) -> list[PeriodPublic]:
        return await self._api.get_list(PeriodPublic, "/periods")

    async def close_period(self, month: str) -> PeriodPublic:
        return PeriodPublic.model_validate(await self._api.post(f"/periods/{month}/close"))

    async def reopen_period(self, month: str, reason: str) -> PeriodEventPublic:
        return PeriodEventPublic.model_validate(
            await self._api.post(f"/periods/{month}/reopen", {"reason": reason})
        )

    async def period_history(self) -> list[PeriodEventPublic]:
        return await self._api.get_list(PeriodEventPublic, "/periods/history")
