"""Course places, as the catalogue's capacity events tell us (reserved, wait-listed, offered,
passed on when an offer lapsed, never placed when the waiting list closed, refused in a year
no longer sold or on a session begun or called off), and the school's answer to an offer:
accepted or declined."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from uuid import UUID

from services.orders.application.payments import settle, state_before, what_changed
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.lines import Booking
from services.orders.domain.order import Order
from services.orders.domain.parts import school_of
from services.orders.domain.refunds import LineRefund
from shared.bus import Command
from shared.calendar import long_date
from shared.errors import NotFound
from shared.events import (
    Envelope,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    PlaceOfferedV1,
    PlaceOfferLapsedV1,
    PlacesRefusedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    WaitingListClosedV1,
)
from shared.events.catalogue import CoursePlaces, PlacesRefusal

log = logging.getLogger(__name__)


async def on_places_reserved(
    envelope: Envelope[PlacesReservedV1], *, uow: OrdersUnitOfWork
) -> None:
    event = envelope.payload
    await _book(uow, event.order_id, event.line_id, Booking.RESERVED)


async def on_places_unavailable(
    envelope: Envelope[PlacesUnavailableV1], *, uow: OrdersUnitOfWork
) -> None:
    event = envelope.payload
    await _book(
        uow, event.order_id, event.line_id, Booking.WAITING, position=event.waiting_list_position
    )


async def on_place_offered(envelope: Envelope[PlaceOfferedV1], *, uow: OrdersUnitOfWork) -> None:
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


@dataclass(frozen=True)
class AnswerOffer:
    """A school's answer to the places offered on one line of its order."""

    order_id: UUID
    line_id: UUID


class AcceptOffer(AnswerOffer, Command["Order"]):
    pass


class DeclineOffer(AnswerOffer, Command["Order"]):
    pass


async def accept_offer(command: AcceptOffer, *, uow: OrdersUnitOfWork, now: datetime) -> Order:
    """The places are the school's (paid for as the order already is); the catalogue hears."""
    line_id = command.line_id
    order = await uow.orders.get(command.order_id, locked=True)
    line = order.accept_offer(line_id, now)
    if line.session_id:
        uow.record(
            PlaceOfferAcceptedV1(
                order_id=order.id,
                line_id=line_id,
                session_id=line.session_id,
                urn=school_of(order, line),
            )
        )
    await uow.orders.save(order)
    return order


async def decline_offer(
    command: DeclineOffer,
    *,
    uow: OrdersUnitOfWork,
    today: date,
    now: datetime,
) -> Order:
    """The school's money back in full; the catalogue offers the places to the next in line."""
    line_id = command.line_id
    order = await uow.orders.get(command.order_id, locked=True)
    before = state_before(order)
    refunds = order.decline_offer(line_id, today)
    line = order.line(line_id)
    if line.session_id:
        uow.record(
            PlaceOfferDeclinedV1(
                order_id=order.id,
                line_id=line_id,
                session_id=line.session_id,
                urn=school_of(order, line),
            )
        )
    await settle(
        uow,
        order,
        refunds,
        **what_changed(order, before),
        reason="the places offered were declined",
        today=today,
        now=now,
        idempotency_key=f"declined-{line_id}",
    )
    return order


async def on_offer_lapsed(
    envelope: Envelope[PlaceOfferLapsedV1],
    *,
    uow: OrdersUnitOfWork,
    today: date,
    now: datetime,
) -> None:
    event = envelope.payload
    await _give_back_line(
        uow,
        event,
        Order.offer_lapsed,
        reason="the places offered were not accepted in time",
        key=f"lapsed-{event.line_id}",
        today=today,
        now=now,
    )


async def on_waiting_list_closed(
    envelope: Envelope[WaitingListClosedV1],
    *,
    uow: OrdersUnitOfWork,
    today: date,
    now: datetime,
) -> None:
    """The session can no longer be booked: each line still waiting is refunded (card) or
    credited (invoice) in full, once, however often the news comes."""
    event = envelope.payload
    for waiting in event.lines:
        await _give_back_line(
            uow,
            waiting,
            Order.waiting_list_closed,
            reason=f"no place came free on {event.title} on {long_date(event.starts_on)}",
            key=f"unplaced-{waiting.line_id}",
            today=today,
            now=now,
        )


async def on_places_refused(
    envelope: Envelope[PlacesRefusedV1],
    *,
    uow: OrdersUnitOfWork,
    today: date,
    now: datetime,
) -> None:
    """The catalogue booked the line no places (the course retired, or no longer sold for the
    session's year, when the order was placed, or the session begun or called off when it
    heard of the order):
    the line is refunded (card) or credited (invoice) in full, once, saying why."""
    event = envelope.payload
    booking, why = _REFUSED_FOR[event.reason]
    await _give_back_line(
        uow,
        event,
        partial(Order.places_refused, booking=booking),
        reason=why.format(year=event.academic_year),
        key=f"refused-{event.line_id}",
        today=today,
        now=now,
    )


_REFUSED_FOR = {  # the line's booking, and the reason given with the money
    PlacesRefusal.YEAR_NOT_SOLD: (
        Booking.REFUSED,
        "the course is no longer sold for {year}: no place was booked",
    ),
    PlacesRefusal.SESSION_BEGUN: (
        Booking.TOO_LATE,
        "the session had already begun when the order reached the catalogue: no place was booked",
    ),
    PlacesRefusal.SESSION_CALLED_OFF: (
        Booking.CANCELLED,
        "the session was called off before the order reached the catalogue: no place was booked",
    ),
    PlacesRefusal.SERVICE_RETIRED: (
        Booking.RETIRED,
        "the course was no longer sold when the order was placed: no place was booked",
    ),
}


async def _give_back_line(
    uow: OrdersUnitOfWork,
    places: CoursePlaces,
    withdraw: Callable[[Order, UUID, date], list[LineRefund]],
    *,
    reason: str,
    key: str,
    today: date,
    now: datetime,
) -> None:
    """The catalogue says these places will not be the school's: `withdraw` gives the line
    back (once), and the money follows; news of an order line unknown here is logged."""
    try:
        order = await uow.orders.get(places.order_id, locked=True)
        before = state_before(order)
        refunds = withdraw(order, places.line_id, today)
    except NotFound as missing:
        log.warning("places given back on an unknown order line: %s", missing.message)
        return
    await settle(
        uow,
        order,
        refunds,
        **what_changed(order, before),
        reason=reason,
        today=today,
        now=now,
        idempotency_key=key,
    )
