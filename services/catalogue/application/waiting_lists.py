"""Waiting lists closed once their sessions can no longer be booked (whichever worker gets
there first): no place will come to a school still waiting, so `WaitingListClosedV1` tells
orders to give each its money back, and notifications to tell it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.catalogue.application.offers import course_places
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.course import Booking
from shared.bus import Command
from shared.events import WaitingListClosedV1, caused_event_id
from shared.events.catalogue import WAITING_LINES_PER_EVENT, CoursePlaces


@dataclass(frozen=True)
class CloseWaitingLists(Command["list[Booking]"]):
    """Close the waiting list of every session that can no longer be booked (the result: the
    bookings closed)."""


async def close_waiting_lists(
    _: CloseWaitingLists, *, uow: CatalogueUnitOfWork, today: date
) -> list[Booking]:
    closed: list[Booking] = []
    for session_id in await uow.courses.waiting_on_unbookable(today):
        session = await uow.courses.session(session_id, locked=True)
        unplaced = session.close_waiting_list(today, await uow.courses.waiting_list(session.id))
        if not unplaced:  # another worker closed it first
            continue
        for booking in unplaced:
            await uow.courses.save_booking(booking)
        title = (await uow.services.get(session.service_id)).details.title
        for first in range(0, len(unplaced), WAITING_LINES_PER_EVENT):
            some = unplaced[first : first + WAITING_LINES_PER_EVENT]
            event = WaitingListClosedV1(
                session_id=session.id,
                service_id=session.service_id,
                title=title,
                starts_on=session.starts_on,
                lines=tuple(
                    CoursePlaces(**course_places(booking, session, session.service_id))
                    for booking in some
                ),
            )
            # keyed by its lines: a second worker's event is the same one, not another
            lines = (booking.line_id for booking in some)
            uow.record(event, event_id=caused_event_id(session.id, event.subject, *lines))
        closed += unplaced
    return closed
