"""Sessions whose decision date has come, each decided once (whichever worker gets there
first): still under its minimum, it is called off and `SessionCancelledV1` tells orders to give
every school its money back; at its minimum, it is confirmed to run, whoever cancels later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from shared.bus import Command
from shared.events import SessionCancelledV1, caused_event_id


@dataclass(frozen=True)
class CallOffShortSessions(Command["list[UUID]"]):
    """Decide every session whose decision date has come: call off those short of their
    minimum, confirm the rest (the result: the ids of those called off)."""


async def call_off_short_sessions(
    _: CallOffShortSessions, *, uow: CatalogueUnitOfWork, today: date
) -> list[UUID]:
    called_off = []
    for session_id in await uow.courses.deciding(today):
        session = await uow.courses.session(session_id, locked=True)
        if not session.to_decide(today):  # another worker decided it first
            continue
        if not session.falls_short(today):
            session.confirm(today)
            await uow.courses.save_session(session)
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
