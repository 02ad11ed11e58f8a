"""The finance reports over HTTP, each as JSON, CSV or XLSX (`?format=`): finance and admin only."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Response

from services.ledger.application import reports
from services.ledger.domain.reports import year_bounds
from services.ledger.entrypoints.export import Format, render
from services.ledger.entrypoints.schemas import Finance, UnitOfWorkDep
from shared.bounds import Day, FinancialYear, Label
from shared.calendar import financial_year

router = APIRouter(prefix="/reports", tags=["ledger reports"])

Dimension = Literal["service", "category", "school", "phase", "la", "month"]


def _year(year: str | None) -> str:
    return year or financial_year(date.today())


@router.get("/trial-balance")
async def trial_balance(
    uow: UnitOfWorkDep, _: Finance, as_of: Day | None = None, format: Format = Format.JSON
) -> Response:
    """Each account's debit or credit balance; total debits less total credits is always zero."""
    report = await reports.trial_balance(uow, as_of=as_of)
    return render(report, format, name="trial-balance")


@router.get("/accounts/{account}/statement")
async def statement(
    account: Label,
    uow: UnitOfWorkDep,
    _: Finance,
    start: Day | None = None,
    end: Day | None = None,
    format: Format = Format.JSON,
) -> Response:
    """An account's postings with a running balance; each names its transaction and the event
    that caused it (drill down with `/transactions/{id}` or `/transactions?source_event_id=`)."""
    first, last = year_bounds(_year(None))
    report = await reports.statement(uow, account, start=start or first, end=end or last)
    return render(report, format, name=f"statement-{account.replace(':', '-')}")


@router.get("/traded-income")
async def traded_income(
    uow: UnitOfWorkDep,
    _: Finance,
    by: Dimension = "category",
    start: Day | None = None,
    end: Day | None = None,
    format: Format = Format.JSON,
) -> Response:
    """Traded income recognised in a period (default: this financial year) by service, category,
    school, phase, local authority or month, beside the same period a year earlier."""
    first, last = year_bounds(_year(None))
    report = await reports.traded_income(uow, by, start=start or first, end=end or last)
    return render(report, format, name=f"traded-income-by-{by}")


@router.get("/statutory-by-contract")
async def statutory_by_contract(
    uow: UnitOfWorkDep,
    _: Finance,
    financial_year: FinancialYear | None = None,
    format: Format = Format.JSON,
) -> Response:
    """Statutory income, delivery cost and surplus of each commissioning contract in a year."""
    report = await reports.statutory_by_contract(uow, year=_year(financial_year))
    return render(report, format, name="statutory-by-contract")


@router.get("/aged-debt")
async def aged_debt(
    uow: UnitOfWorkDep, _: Finance, as_of: Day | None = None, format: Format = Format.JSON
) -> Response:
    """What each school owes, by days since the invoice: 0–30, 31–60, 61–90, over 90."""
    report = await reports.aged_debt(uow, as_of=as_of or date.today())
    return render(report, format, name="aged-debt")


@router.get("/sustainability")
async def sustainability(
    uow: UnitOfWorkDep,
    _: Finance,
    financial_year: FinancialYear | None = None,
    as_of: Day | None = None,
    format: Format = Format.JSON,
) -> Response:
    """Surplus per strand and overall, income shares, buy-back by phase, renewal, top-10
    concentration, staff-development share against 2–5%, and the reserves' runway."""
    report = await reports.sustainability(
        uow, year=_year(financial_year), as_of=as_of or date.today()
    )
    return render(report, format, name="sustainability")


@router.get("/stripe-reconciliation")
async def stripe_reconciliation(
    uow: UnitOfWorkDep, _: Finance, format: Format = Format.JSON
) -> Response:
    """Each imported Stripe payout against clearing: matched or mismatch, and what still waits."""
    report = await reports.stripe_reconciliation(uow)
    return render(report, format, name="stripe-reconciliation")
