"""An order line the catalogue booked no places: whoever booked it is told why, and that it
is given back in full."""

from __future__ import annotations

from datetime import datetime

from services.notifications.application.line_courses import course_of_line
from services.notifications.application.line_readers import tell_of_line
from services.notifications.application.sending import Addressing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.refusals import (
    Refusal,
    RefusedLine,
    refused_key,
    refused_subject,
    refused_text,
)
from shared.events import Envelope, PlacesRefusedV1


async def places_refused(
    envelope: Envelope[PlacesRefusedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """The school's business manager is told why the line got no places, and that it is given
    back in full; on a trust's order the trust's buyer too (the news says whose order it is, as
    the order does, whichever comes first). The trust does not book those places."""
    event = envelope.payload
    line = RefusedLine(
        line_id=event.line_id,
        urn=event.urn,
        places=event.places,
        reason=Refusal(event.reason.value),
        academic_year=event.academic_year,
        course=await course_of_line(uow, event),
    )
    booked_by = (await uow.read_models.trusts_booking([line.line_id])).get(line.line_id)
    await uow.read_models.places_given_back(line.line_id)
    await tell_of_line(
        uow,
        addressing,
        line.urn,
        event.trust_code or booked_by,
        key=refused_key(line.line_id),
        template="places_refused",
        subject=refused_subject(line),
        text=lambda reader, name: refused_text(line, reader=reader, school_name=name),
        cause=envelope.event_id,
        now=now,
    )
