"""The finance dashboard: income by strand (never mixed), balances and the trial balance, each
chart drawn on the server and linked to its table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from services.portal.adapters.ledger import Balance
from services.portal.domain.charts import bars
from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.session import SignedIn, signed_in
from shared.auth import Role

router = APIRouter(prefix="/finance")

Finance = Annotated[SignedIn, Depends(signed_in(Role.FINANCE, Role.ADMIN))]

STRANDS = (("traded", "Traded"), ("statutory", "Statutory"))


def income_accounts(balances: list[Balance], strand: str) -> list[tuple[str, int]]:
    """Income accounts are credit balances (negative); income is shown as a positive amount."""
    return [
        (balance.name, -balance.balance_pence)
        for balance in balances
        if balance.kind == "income" and balance.strand == strand
    ]


@router.get("")
async def dashboard(request: Request, you: Finance) -> Response:
    income = await you.apis.ledger.income_by_strand()
    balances = await you.apis.ledger.balances()
    trial = await you.apis.ledger.trial_balance()
    return render(
        request,
        "finance/dashboard.html",
        income_bars=bars([("Traded", income.traded_pence), ("Statutory", income.statutory_pence)]),
        account_bars={label: bars(income_accounts(balances, strand)) for strand, label in STRANDS},
        trial_bars=bars([("Debits", trial.debits_pence), ("Credits", trial.credits_pence)]),
        trial=trial,
    )


@router.get("/income")
async def income_table(request: Request, you: Finance) -> Response:
    return render(request, "finance/income.html", income=await you.apis.ledger.income_by_strand())


@router.get("/balances")
async def balances_table(request: Request, you: Finance) -> Response:
    balances = await you.apis.ledger.balances()
    groups = [(label, [b for b in balances if b.strand == strand]) for strand, label in STRANDS]
    groups.append(("Shared balance-sheet accounts", [b for b in balances if b.strand is None]))
    return render(request, "finance/balances.html", groups=groups)


@router.get("/trial-balance")
async def trial_balance_table(request: Request, you: Finance) -> Response:
    return render(
        request, "finance/trial_balance.html", trial=await you.apis.ledger.trial_balance()
    )


@router.get("/journal")
async def journal(request: Request, you: Finance) -> Response:
    transactions = await you.apis.ledger.transactions()
    newest_first = sorted(transactions, key=lambda t: t.posted_on, reverse=True)
    return render(request, "finance/journal.html", transactions=newest_first)
