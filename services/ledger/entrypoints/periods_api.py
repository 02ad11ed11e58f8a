"""The months finance closes, and reopens with a reason (finance and admin only)."""

from __future__ import annotations

from fastapi import APIRouter

from services.ledger.application import views
from services.ledger.application.periods import ClosePeriod, ReopenPeriod
from services.ledger.entrypoints.deps import BusDep, Finance, UnitOfWorkDep
from shared.api.ledger import PeriodEventPublic, PeriodPublic, ReopeningCreate
from shared.bounds import Month

router = APIRouter(prefix="/periods", tags=["ledger"])


@router.get("")
async def closed_periods(uow: UnitOfWorkDep, _: Finance) -> list[PeriodPublic]:
    """The months finance has closed."""
    return [PeriodPublic.model_validate(row) for row in await views.closed_periods(uow)]


@router.post("/{month}/close", status_code=201)
async def close_period(month: Month, bus: BusDep, user: Finance) -> PeriodPublic:
    """Close a month (YYYY-MM): what is dated in it from now on posts in the next open month."""
    await bus.handle(ClosePeriod(month, by=user.subject))
    return PeriodPublic(month=month, closed_by=user.subject)


@router.post("/{month}/reopen")
async def reopen_period(
    month: Month, body: ReopeningCreate, bus: BusDep, user: Finance
) -> PeriodEventPublic:
    """Reopen a closed month (YYYY-MM), with a reason; what moved to the next month stays."""
    reopened = await bus.handle(ReopenPeriod(month, by=user.subject, reason=body.reason))
    return PeriodEventPublic.model_validate(reopened)


@router.get("/history")
async def period_history(uow: UnitOfWorkDep, _: Finance) -> list[PeriodEventPublic]:
    """Every closing and reopening of a month, newest first: who, when, and why."""
    return [PeriodEventPublic.model_validate(row) for row in await views.period_history(uow)]
