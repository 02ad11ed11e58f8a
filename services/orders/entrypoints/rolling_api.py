"""Rolling subscriptions: a school's, with their next renewal, and cancelling one with notice."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from services.orders.application import rolling, views
from services.orders.entrypoints.deps import BusDep, OrderReader, UnitOfWorkDep, check_school
from services.orders.entrypoints.schemas import RollingSubscriptionPublic
from shared.bounds import Urn

router = APIRouter(prefix="/rolling-subscriptions", tags=["rolling subscriptions"])


@router.get("")
async def list_rolling(
    urn: Annotated[Urn, Query(description="the school's URN")],
    uow: UnitOfWorkDep,
    user: OrderReader,
) -> list[RollingSubscriptionPublic]:
    """A school's rolling subscriptions, each with its current period and next renewal."""
    await check_school(uow, user, urn)
    return [
        RollingSubscriptionPublic.of(found) for found in await views.rolling_of_school(uow, urn)
    ]


@router.post("/{rolling_subscription_id}/cancel")
async def cancel_rolling(
    rolling_subscription_id: UUID, uow: UnitOfWorkDep, bus: BusDep, user: OrderReader
) -> RollingSubscriptionPublic:
    """End it at the earliest period end notice given today is in time for (`ends_on`); 409
    once already cancelled or ended."""
    subscription = await views.rolling_subscription(uow, rolling_subscription_id)
    await check_school(uow, user, subscription.urn)
    cancelled = await bus.handle(rolling.CancelRolling(rolling_subscription_id))
    return RollingSubscriptionPublic.of(cancelled)
