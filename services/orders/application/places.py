"""Course places, as the catalogue's capacity events tell us: reserved, wait-listed, offered."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.lines import Booking
from shared.errors import NotFound
from shared.events import Envelope, PlaceOfferedV1, PlacesReservedV1, PlacesUnavailableV1

log = logging.getLogger(__name__)


async def on_places_reserved(uow: OrdersUnitOfWork, envelope: Envelope[PlacesReservedV1]) -> None:
    event = envelope.payload
    await _book(uow, event.order_id, event.line_id, Booking.RESERVED)


async def on_places_unavailable(
    uow: OrdersUnitOfWork, envelope: Envelope[PlacesUnavailableV1]
) -> None:
    event = envelope.payload
    await _book(
        uow, event.order_id, event.line_id, Booking.WAITING, position=event.waiting_list_position
    )


async def on_place_offered(uow: OrdersUnitOfWork, envelope: Envelope[PlaceOfferedV1]) -> None:
    event = envelope.payload
    await _book(
        uow, event.order_id, event.line_id, Booking.OFFERED, expires_at=event.offer_expires_at
    )


async def _book(
    uow: OrdersUnitOfWork,
    order_id: UUID,
    line_id: UUID,
    booking: Booking,
    *,
    position: int | None = None,
    expires_at: datetime | None = None,
) -> None:
    try:
        order = await uow.orders.get(order_id, locked=True)
        order.book(line_id, booking, position=position, expires_at=expires_at)
    except NotFound as missing:  # not ours to wait for: a redelivery would find nothing either
        log.warning("places news for an unknown order line: %s", missing.message)
        return
    await uow.orders.save(order)
