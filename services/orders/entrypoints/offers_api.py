"""A school's answer to course places offered from the waiting list: accept or decline."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.orders.application import places
from services.orders.entrypoints.deps import BusDep, Buyer, UnitOfWorkDep, visible_order
from services.orders.entrypoints.schemas import OrderPublic

router = APIRouter(prefix="/orders/{order_id}/lines/{line_id}", tags=["course places"])


@router.post("/accept")
async def accept_offer(
    order_id: UUID, line_id: UUID, uow: UnitOfWorkDep, bus: BusDep, user: Buyer
) -> OrderPublic:
    """Take the places offered, before the offer expires (409 after it)."""
    await visible_order(uow, order_id, user)
    return OrderPublic.of(await bus.handle(places.AcceptOffer(order_id, line_id)))


@router.post("/decline")
async def decline_offer(
    order_id: UUID, line_id: UUID, uow: UnitOfWorkDep, bus: BusDep, user: Buyer
) -> OrderPublic:
    """Turn the places down: the line is refunded in full and the places pass on."""
    await visible_order(uow, order_id, user)
    return OrderPublic.of(await bus.handle(places.DeclineOffer(order_id, line_id)))
