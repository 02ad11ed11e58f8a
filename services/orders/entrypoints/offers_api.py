"""A school's answer to course places offered from the waiting list: accept or decline."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.orders.application import places
from services.orders.entrypoints.api import visible_order
from services.orders.entrypoints.deps import (
    Buyer,
    GatewayDep,
    NowDep,
    TodayDep,
    UnitOfWorkDep,
)
from services.orders.entrypoints.schemas import OrderPublic

router = APIRouter(prefix="/orders/{order_id}/lines/{line_id}", tags=["course places"])


@router.post("/accept")
async def accept_offer(
    order_id: UUID, line_id: UUID, uow: UnitOfWorkDep, now: NowDep, user: Buyer
) -> OrderPublic:
    """Take the places offered, before the offer expires (409 after it)."""
    await visible_order(uow, order_id, user)
    async with uow:
        return OrderPublic.of(await places.accept_offer(uow, order_id, line_id, now=now))


@router.post("/decline")
async def decline_offer(
    order_id: UUID,
    line_id: UUID,
    uow: UnitOfWorkDep,
    gateway: GatewayDep,
    today: TodayDep,
    user: Buyer,
) -> OrderPublic:
    """Turn the places down: the line is refunded in full and the places pass on."""
    await visible_order(uow, order_id, user)
    async with uow:
        order = await places.decline_offer(uow, order_id, line_id, gateway=gateway, today=today)
    return OrderPublic.of(order)
