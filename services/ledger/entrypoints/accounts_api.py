"""The chart of accounts and every account's balance (finance and admin only)."""

from __future__ import annotations

from fastapi import APIRouter

from services.ledger.application import views
from services.ledger.entrypoints.deps import AsOf, Finance, Today, UnitOfWorkDep
from shared.api.ledger import BalancePublic

router = APIRouter(tags=["ledger"])


@router.get("/accounts")
async def chart_of_accounts(uow: UnitOfWorkDep, _: Finance, today: Today) -> list[BalancePublic]:
    """The chart of accounts: the fixed accounts and every income account opened so far, each
    with its balance today."""
    found = await views.chart_of_accounts(uow, today=today)
    return [BalancePublic.model_validate(row) for row in found]


@router.get("/balances")
async def balances(uow: UnitOfWorkDep, _: Finance, as_of: AsOf) -> list[BalancePublic]:
    """Every account's balance in pence (debit positive, credit negative) at the end of
    `as_of` (default: today): nothing dated later counts."""
    found = await views.balances(uow, as_of=as_of)
    return [BalancePublic.model_validate(row) for row in found]
