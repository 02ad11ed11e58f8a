"""The ledger's figures, compared after a rebuild: the balance of every account and every
finance report, for each financial year the book touches, as of the live ledger's today."""

from __future__ import annotations

from typing import Any, get_args

from sqlalchemy import select

from services.ledger.adapters.tables import metadata, transactions
from services.ledger.application import reports
from services.ledger.domain.reports import year_to_date
from services.ledger.entrypoints.reports_api import Dimension
from shared.money import Strand
from shared.service import Service

__all__ = ["figures", "metadata"]


async def figures(ledger: Service[Any]) -> dict[str, Any]:
    today = ledger.clock.today()
    uow = ledger.unit_of_work
    start, end = year_to_date(today)
    async with ledger.engine.connect() as connection:
        years = sorted(await connection.scalars(select(transactions.c.financial_year).distinct()))
    found: dict[str, Any] = {
        "balances": await _balances(ledger),
        "income by strand": await reports.income_by_strand(uow(), as_of=today),
        "trial balance": _shown(await reports.trial_balance(uow(), as_of=today)),
        "aged debt": _shown(await reports.aged_debt(uow(), as_of=today)),
        "stripe reconciliation": _shown(await reports.stripe_reconciliation(uow())),
    }
    for by in get_args(Dimension):
        report = await reports.income(uow(), Strand.TRADED, by, start=start, end=end)
        found[f"traded income by {by}"] = _shown(report)
    for by in ("account", "month"):
        report = await reports.income(uow(), Strand.STATUTORY, by, start=start, end=end)
        found[f"statutory income by {by}"] = _shown(report)
    for year in years:
        found[f"statutory by contract {year}"] = _shown(
            await reports.statutory_by_contract(uow(), year=year, as_of=today)
        )
        found[f"sustainability {year}"] = _shown(
            await reports.sustainability(uow(), year=year, as_of=today)
        )
    return found


async def _balances(ledger: Service[Any]) -> dict[str, int]:
    async with ledger.unit_of_work() as uow:
        return {row["code"]: int(row["balance_pence"]) for row in await uow.book.balances()}


def _shown(report: reports.Report) -> tuple[Any, ...]:
    return report.title, report.rows, report.summary
