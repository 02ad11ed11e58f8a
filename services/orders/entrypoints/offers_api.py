"""The answer to course places offered from the waiting list: accept or decline. A school
answers on its own orders and on its lines of its trust's orders; the trust buyer on the
trust's orders."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from services.orders.application import places
from services.orders.entrypoints.deps import (
    STILL_REFUNDING,
    BusDep,
    OfferAnswerer,
    UnitOfWorkDep,
    as_seen_by,
    offered_order,
    settled,
)
from services.orders.entrypoints.schemas import OrderPublic

router = APIRouter(prefix="/orders/{order_id}/lines/{line_id}", tags=["course places"])


@router.post("/accept")
async def accept_offer(
    order_id: UUID, line_id: UUID, uow: UnitOfWorkDep, bus: BusDep, user: OfferAnswerer
) -> OrderPublic:
    """Take the places offered, before the offer expires (409 after it)."""
    await offered_order(uow, order_id, line_id, user)
    answered = await bus.handle(places.AcceptOffer(order_id, line_id))
    return OrderPublic.of(as_seen_by(user, answered))


@router.post("/decline", responses=STILL_REFUNDING)
async def decline_offer(
    order_id: UUID,
    line_id: UUID,
    uow: UnitOfWorkDep,
    bus: BusDep,
    response: Response,
    user: OfferAnswerer,
) -> OrderPublic:
    """Turn the places down: the line is refunded in full and the places pass on."""
    await offered_order(uow, order_id, line_id, user)
    answered = await settled(bus, places.DeclineOffer(order_id, line_id), response)
    return OrderPublic.of(as_seen_by(user, answered))
