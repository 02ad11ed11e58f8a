"""An order line that found no place waits on its session's waiting list: whoever booked it
is told so, once, and the message is withdrawn once the line waits no more."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from services.notifications.application.line_courses import course_of_line
from services.notifications.application.line_readers import tell_of_line
from services.notifications.application.sending import Addressing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.trust_bookings import TrustPlaces
from services.notifications.domain.waiting import (
    WaitingLine,
    waiting_key,
    waiting_subject,
    waiting_text,
)
from shared.events import Envelope, PlacesUnavailableV1


async def places_unavailable(
    envelope: Envelope[PlacesUnavailableV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """The school's business manager is told the line waits, and on a trust's order the
    trust's buyer too (naming the school); not once the line waits no more. The news says
    whose order it is, as the order does, which may be applied after it: the trust's booking
    is kept from whichever comes first, for the offers and call-offs that follow."""
    event = envelope.payload
    if not await uow.read_models.still_waiting(event.order_id, event.line_id, event.session_id):
        return
    line = WaitingLine(
        line_id=event.line_id,
        urn=event.urn,
        places=event.places,
        position=event.waiting_list_position,
        course=await course_of_line(uow, event),
    )
    if event.trust_code:
        booked = TrustPlaces(event.line_id, event.session_id, event.urn, event.starts_on)
        await uow.read_models.booked_by_trust(event.order_id, event.trust_code, [booked])
    trust_code = (await uow.read_models.trusts_booking([line.line_id])).get(line.line_id)
    await tell_of_line(
        uow,
        addressing,
        line.urn,
        trust_code,
        key=waiting_key(line.line_id),
        template="places_unavailable",
        subject=waiting_subject(line),
        text=lambda reader, name: waiting_text(line, reader=reader, school_name=name),
        cause=envelope.event_id,
        now=now,
    )


async def waiting_over(uow: NotificationsUnitOfWork, line_ids: Iterable[UUID], *, why: str) -> None:
    """These order lines wait for places no more: the message saying they wait, not sent yet,
    is withdrawn (`still_waiting` keeps it from being drafted again)."""
    keys = [waiting_key(line_id) for line_id in line_ids]
    await uow.messages.withdraw(keys, why=f"withdrawn: {why}")
