"""Course places: reserved when an order asks for them, wait-listed when none are left, refused
when the session can no longer be booked when the order is heard of (its day has come, or it
was called off) or the course was no longer sold for the session's year when the order was
placed, and offered down the waiting list in order when a cancelled order gives them back."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from services.catalogue.application.offers import course_places, offer_places
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from services.catalogue.domain.course import (
    Booking,
    BookingStatus,
    CourseSession,
    WaitingLine,
    places_for_newcomers,
)
from services.catalogue.domain.service import Service, ServiceType
from shared.bus import Command
from shared.calendar import academic_year
from shared.errors import Invalid, NotFound
from shared.events import (
    Envelope,
    OrderCancelledV1,
    OrderPlacedV1,
    PlacesRefusedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    caused_event_id,
)
from shared.events.catalogue import PlacesRefusal
from shared.events.orders import OrderLineV1

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduleSession(Command["CourseSession"]):
    service_id: UUID
    starts_on: date
    venue: str
    online: bool
    capacity: int
    minimum_places: int = 0
    decision_on: date | None = None


async def schedule_session(
    command: ScheduleSession, *, uow: CatalogueUnitOfWork, today: date
) -> CourseSession:
    service = await uow.services.get(command.service_id)
    if service.service_type is not ServiceType.COURSE:
        raise Invalid("only a course has dated sessions", field="service_id")
    service.check_available_in(academic_year(command.starts_on), field="starts_on")
    session = CourseSession.schedule(**command.__dict__, today=today)
    await uow.courses.add_session(session)
    uow.audit(
        "session.scheduled",
        object_type="session",
        object_id=session.id,
        summary=f"{service.code} on {session.starts_on}, {session.capacity} places",
    )
    return session


async def on_order_placed(
    envelope: Envelope[OrderPlacedV1], *, uow: CatalogueUnitOfWork, today: date
) -> None:
    order = envelope.payload
    for index, line in enumerate(order.lines):
        if line.session_id is not None:
            await _request_places(
                uow,
                cause=envelope.event_id,
                order_id=order.order_id,
                urn=line.urn or order.urn,  # a trust's order: the line's school
                line_id=_line_id(order.order_id, index, line),
                session_id=line.session_id,
                line=line,
                ordered_at=order.placed_at,
                trust_code=order.trust_code,
                today=today,
            )


async def _request_places(
    uow: CatalogueUnitOfWork,
    *,
    cause: UUID,
    order_id: UUID,
    urn: int,
    line_id: UUID,
    session_id: UUID,
    line: OrderLineV1,
    ordered_at: datetime | None,
    trust_code: str | None,
    today: date,
) -> None:
    try:
        session = await uow.courses.session(session_id, locked=True)  # see `_lock_sessions`
    except NotFound:
        # Orders took this session from a quote, which checked it: retrying cannot help.
        log.warning("order %s asks for places on unknown session %s", order_id, session_id)
        return
    if await uow.courses.booking(order_id, line_id) is not None:
        return  # the order was cancelled before it arrived here (see on_order_cancelled)
    year = academic_year(session.starts_on)
    course = await uow.services.get(session.service_id)
    refusal = _refusal(session, course, year=year, ordered_at=ordered_at, today=today)
    waiting = await uow.courses.waiting_line(session.id)
    if refusal is None:
        booking = Booking.request(
            session,
            order_id=order_id,
            line_id=line_id,
            urn=urn,
            places=line.quantity,
            line=waiting,
        )
        await uow.courses.save_session(session)
    else:
        booking = Booking.refused(
            session.id, order_id=order_id, line_id=line_id, urn=urn, places=line.quantity
        )
    await uow.courses.add_booking(booking)
    answer = _answer(
        booking, session, line, year, trust_code=trust_code, refusal=refusal, waiting=waiting
    )
    uow.record(answer, event_id=caused_event_id(cause, answer.subject, line_id))


def _refusal(
    session: CourseSession,
    course: Service,
    *,
    year: str,
    ordered_at: datetime | None,
    today: date,
) -> PlacesRefusal | None:
    """Why an order placed `ordered_at` and heard of `today` gets no places on the session, if
    it does not. Orders checks each at checkout, but the catalogue may hear of the order late
    (its worker was down, a backlog), or orders not yet of the course's retirement or of its
    years narrowing."""
    if session.cancelled_on is not None:
        return PlacesRefusal.SESSION_CALLED_OFF
    if not session.is_bookable(today):
        return PlacesRefusal.SESSION_BEGUN
    if course.retired_when_ordered(ordered_at):
        return PlacesRefusal.SERVICE_RETIRED
    if not course.sold_in_when_ordered(year, ordered_at):
        return PlacesRefusal.YEAR_NOT_SOLD
    return None


def _answer(
    booking: Booking,
    session: CourseSession,
    line: OrderLineV1,
    year: str,
    *,
    trust_code: str | None,
    refusal: PlacesRefusal | None,
    waiting: WaitingLine,
) -> PlacesReservedV1 | PlacesUnavailableV1 | PlacesRefusedV1:
    """What the catalogue answers an order's course line, the `waiting` line as the order
    found it; one left waiting is told its place in line, behind the schools waiting already."""
    ids = course_places(booking, session, line.service_id)
    if booking.status is BookingStatus.RESERVED:
        return PlacesReservedV1(**ids, places_left=places_for_newcomers(session, waiting))
    told: dict[str, Any] = {  # for notifications to say what was refused or waits, to whom
        "title": line.title,  # as the school ordered it
        "starts_on": session.starts_on,
        "trust_code": trust_code,  # the trust's buyer is told too
    }
    if refusal is not None:
        return PlacesRefusedV1(**ids, **told, academic_year=year, reason=refusal)
    return PlacesUnavailableV1(**ids, **told, waiting_list_position=waiting.waiting + 1)


async def on_order_cancelled(
    envelope: Envelope[OrderCancelledV1],
    *,
    uow: CatalogueUnitOfWork,
    now: datetime,
    settings: Settings,
) -> None:
    order = envelope.payload
    sessions = await _lock_sessions(uow, order)
    for booking in await uow.courses.bookings_of_order(order.order_id):
        session = await uow.courses.session(booking.session_id, locked=True)
        booking.release(session)
        await uow.courses.save_booking(booking)
        await offer_places(uow, session, cause=envelope.event_id, now=now, settings=settings)
    await _release_ahead_of_placing(uow, order, sessions)


async def _lock_sessions(uow: CatalogueUnitOfWork, order: OrderCancelledV1) -> set[UUID]:
    """Lock the sessions of the order's course lines, in the order of its lines, before their
    bookings are looked for, as its placing does: the two come through separate consumers,
    and two workers may apply them at the same moment. Whichever locks first books its lines
    (reserved, or released); the other then finds those bookings. The sessions that exist."""
    found: set[UUID] = set()
    for session_id in dict.fromkeys(line.session_id for line in order.lines if line.session_id):
        try:
            await uow.courses.session(session_id, locked=True)
        except NotFound:
            continue  # nothing could ever be booked on it
        found.add(session_id)
    return found


async def _release_ahead_of_placing(
    uow: CatalogueUnitOfWork, order: OrderCancelledV1, sessions: set[UUID]
) -> None:
    """Each event has its own durable consumer, so a cancellation may be applied before the
    order it cancels: its course lines on these `sessions` are booked as released, and never
    take places."""
    for index, line in enumerate(order.lines):
        line_id = _line_id(order.order_id, index, line)
        if line.session_id not in sessions or await uow.courses.booking(order.order_id, line_id):
            continue
        released = Booking.cancelled_before_placed(
            line.session_id,
            order_id=order.order_id,
            line_id=line_id,
            urn=line.urn or order.urn,
            places=line.quantity,
        )
        await uow.courses.add_booking(released)


def _line_id(order_id: UUID, index: int, line: OrderLineV1) -> UUID:
    """Orders names its lines; an older event without line ids gets a stable one per position."""
    return line.line_id or uuid5(order_id, str(index))
