"""Sessions that will not run: still under their minimum at their decision date, each is
called off once (whichever worker gets there first) and `SessionCancelledV1` tells orders
to give every school its money back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from shared.bus import Command
from shared.events import SessionCancelledV1, caused_event_id


@dataclass(frozen=True)
class CallOffShortSessions(Command["list[UUID]"]):
    """Call off every session that falls short today (the result: the ids of those called off)."""


async def call_off_short_sessions(
    _: CallOffShortSessions, *, uow: CatalogueUnitOfWork, today: date
) -> list[UUID]:
    called_off = []
    for session_id in await uow.courses.deciding(today):
        session = await uow.courses.session(session_id, locked=True)
        if not session.falls_short(today):  # another worker called it off first
            continue
        service = await uow.services.get(session.service_id)
        bookings = await uow.courses.bookings_on(session.id)
        booked = session.places_taken
        released = session.call_off(today, bookings)
        for booking in released:
            await uow.courses.save_booking(booking)
        await uow.courses.save_session(session)
        event = SessionCancelledV1(
            session_id=session.id,
            service_id=session.service_id,
            title=service.details.title,
            starts_on=session.starts_on,
            minimum_places=session.minimum_places,
            places_booked=booked,
            # the schools this gives money back to, not those that cancelled or declined before
            booked_urns=tuple(sorted({booking.urn for booking in released})),
        )
        # keyed by the session: a second worker's event is the same one, not another
        uow.record(event, event_id=caused_event_id(session.id, event.subject))
        called_off.append(session.id)
    return called_off
