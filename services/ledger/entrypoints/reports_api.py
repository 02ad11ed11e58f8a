"""The finance reports over HTTP, each as JSON (the shape its model in shared.api.ledger
declares), CSV or XLSX (`?format=`): finance and admin only."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response

from services.ledger.application import reports
from services.ledger.domain.reports import in_order, year_to_date
from services.ledger.entrypoints.deps import AsOf, Finance, Today, UnitOfWorkDep
from services.ledger.entrypoints.export import Format, render
from shared.api.ledger import (
    AgedDebtPublic,
    IncomeByStrandPublic,
    IncomeReportPublic,
    StatementPublic,
    StatutoryByContractPublic,
    StripeReconciliationPublic,
    SustainabilityPublic,
    TrialBalancePublic,
)
from shared.bounds import Day, FinancialYear, Label, Offset, PageSize
from shared.calendar import financial_year as year_of
from shared.money import Strand

router = APIRouter(prefix="/reports", tags=["ledger reports"])

Dimension = Literal["service", "category", "cfr", "school", "phase", "la", "month", "account"]


@router.get("/income-by-strand")
async def income_by_strand(uow: UnitOfWorkDep, _: Finance, as_of: AsOf) -> IncomeByStrandPublic:
    """Income recognised in each strand, never mixed, this financial year to `as_of` (default:
    today), before VAT."""
    return IncomeByStrandPublic.model_validate(await reports.income_by_strand(uow, as_of=as_of))


@router.get("/trial-balance", response_model=TrialBalancePublic)
async def trial_balance(
    uow: UnitOfWorkDep, _: Finance, as_of: AsOf, format: Format = Format.JSON
) -> Response:
    """Each account's debit or credit balance at `as_of` (default: today); total debits less
    total credits is always zero."""
    report = await reports.trial_balance(uow, as_of=as_of)
    return render(report, format, name="trial-balance")


@router.get("/accounts/{account}/statement", response_model=StatementPublic)
async def statement(
    account: Label,
    uow: UnitOfWorkDep,
    _: Finance,
    today: Today,
    start: Day | None = None,
    end: Day | None = None,
    limit: PageSize | None = None,
    offset: Offset = 0,
    format: Format = Format.JSON,
) -> Response:
    """An account's postings with a running balance (default: this financial year to today;
    never past today), all of them or a page (`limit`, `offset`); each names its transaction
    and the event that caused it (drill down with `/transactions/{id}` or
    `/transactions?source_event_id=`)."""
    first, last = year_to_date(min(end or today, today))
    report = await reports.statement(
        uow, account, start=in_order(start or first, last), end=last, limit=limit, offset=offset
    )
    return render(report, format, name=f"statement-{account.replace(':', '-')}")


@router.get("/traded-income", response_model=IncomeReportPublic)
async def traded_income(
    uow: UnitOfWorkDep,
    _: Finance,
    as_of: AsOf,
    by: Dimension = "category",
    start: Day | None = None,
    end: Day | None = None,
    format: Format = Format.JSON,
) -> Response:
    """Traded income recognised by service, category, CFR code (what maintained schools book it
    against), school, phase, local authority, month or account, from `start` to `end` (default:
    this financial year to `as_of`, itself by default today; never past today), beside the
    same period a year earlier."""
    first, last = year_to_date(min(end, as_of) if end else as_of)
    report = await reports.income(
        uow, Strand.TRADED, by, start=in_order(start or first, last), end=last
    )
    return render(report, format, name=f"traded-income-by-{by}")


@router.get("/statutory-income", response_model=IncomeReportPublic)
async def statutory_income(
    uow: UnitOfWorkDep,
    _: Finance,
    as_of: AsOf,
    by: Literal["account", "month"] = "account",
    format: Format = Format.JSON,
) -> Response:
    """Statutory income recognised by income account (one a contract) or month, this financial
    year to `as_of` (default: today), beside the same period a year earlier."""
    first, last = year_to_date(as_of)
    report = await reports.income(uow, Strand.STATUTORY, by, start=first, end=last)
    return render(report, format, name=f"statutory-income-by-{by}")


@router.get("/statutory-by-contract", response_model=StatutoryByContractPublic)
async def statutory_by_contract(
    uow: UnitOfWorkDep,
    _: Finance,
    as_of: AsOf,
    financial_year: FinancialYear | None = None,
    format: Format = Format.JSON,
) -> Response:
    """Statutory income, delivery cost and surplus of each commissioning contract in a year
    (default: this one), up to `as_of` (default: today)."""
    report = await reports.statutory_by_contract(
        uow, year=financial_year or year_of(as_of), as_of=as_of
    )
    return render(report, format, name="statutory-by-contract")


@router.get("/aged-debt", response_model=AgedDebtPublic)
async def aged_debt(
    uow: UnitOfWorkDep, _: Finance, as_of: AsOf, format: Format = Format.JSON
) -> Response:
    """What each school or academy trust owes (traded), then what the LA owes (statutory), by
    days since the invoice: 0–30, 31–60, 61–90, over 90."""
    report = await reports.aged_debt(uow, as_of=as_of)
    return render(report, format, name="aged-debt")


@router.get("/sustainability", response_model=SustainabilityPublic)
async def sustainability(
    uow: UnitOfWorkDep,
    _: Finance,
    as_of: AsOf,
    financial_year: FinancialYear | None = None,
    format: Format = Format.JSON,
) -> Response:
    """Surplus per strand and overall, income shares, buy-back by phase, renewal, top-10
    concentration, staff-development share against 2–5%, and the reserves' runway, for a
    financial year (default: this one) up to `as_of` (default: today)."""
    report = await reports.sustainability(uow, year=financial_year or year_of(as_of), as_of=as_of)
    return render(report, format, name="sustainability")


@router.get("/stripe-reconciliation", response_model=StripeReconciliationPublic)
async def stripe_reconciliation(
    uow: UnitOfWorkDep, _: Finance, format: Format = Format.JSON
) -> Response:
    """Each imported Stripe payout against clearing: matched or mismatch, and what still waits."""
    report = await reports.stripe_reconciliation(uow)
    return render(report, format, name="stripe-reconciliation")
