"""Places offered down the waiting list: held for a school until the offer expires; accepted,
they are its own; declined or lapsed, they pass to the next school in line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from services.catalogue.domain.course import (
    Booking,
    BookingStatus,
    CourseSession,
    offer_freed_places,
    places_for_newcomers,
)
from shared.bus import Command
from shared.events import (
    Envelope,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    PlaceOfferedV1,
    PlaceOfferLapsedV1,
    PlacesReservedV1,
    caused_event_id,
)


def course_places(booking: Booking, session: CourseSession, service_id: UUID) -> dict[str, Any]:
    """The fields of `CoursePlaces` every places event carries, for this booking."""
    return {
        "order_id": booking.order_id,
        "line_id": booking.line_id,
        "service_id": service_id,
        "session_id": session.id,
        "urn": booking.urn,
        "places": booking.places,
    }


async def offer_places(
    uow: CatalogueUnitOfWork,
    session: CourseSession,
    *,
    cause: UUID,
    now: datetime,
    settings: Settings,
) -> None:
    """Offer what the session has free to the waiting list, in order (the session is locked),
    each for the settings' hours; each offer names the course and the day its session starts."""
    offers = offer_freed_places(
        session,
        await uow.courses.waiting_list(session.id),
        now=now,
        hold=timedelta(hours=settings.place_offer_hours),
    )
    course = (await uow.services.get(session.service_id)).details.title if offers else ""
    for offered in offers:
        await uow.courses.save_booking(offered)
        assert offered.offer_expires_at is not None  # set by the offer
        offer = PlaceOfferedV1(
            **course_places(offered, session, session.service_id),
            offer_expires_at=offered.offer_expires_at,
            title=course,
            starts_on=session.starts_on,
        )
        uow.record(offer, event_id=caused_event_id(cause, offer.subject, offered.line_id))
    await uow.courses.save_session(session)


async def on_offer_accepted(
    envelope: Envelope[PlaceOfferAcceptedV1], *, uow: CatalogueUnitOfWork
) -> None:
    event = envelope.payload
    booking = await uow.courses.booking(event.order_id, event.line_id)
    if booking is None:
        return
    session = await uow.courses.session(booking.session_id, locked=True)
    if booking.accept():  # a late acceptance of a lapsed offer changes nothing
        await uow.courses.save_booking(booking)
        left = places_for_newcomers(session, await uow.courses.waiting_line(session.id))
        reserved = PlacesReservedV1(
            **course_places(booking, session, session.service_id), places_left=left
        )
        uow.record(reserved, event_id=caused_event_id(envelope.event_id, reserved.subject))


async def on_offer_declined(
    envelope: Envelope[PlaceOfferDeclinedV1],
    *,
    uow: CatalogueUnitOfWork,
    now: datetime,
    settings: Settings,
) -> None:
    event = envelope.payload
    booking = await uow.courses.booking(event.order_id, event.line_id)
    if booking is None:
        return
    session = await uow.courses.session(booking.session_id, locked=True)
    if booking.give_up(session, BookingStatus.DECLINED):
        await uow.courses.save_booking(booking)
        await offer_places(uow, session, cause=envelope.event_id, now=now, settings=settings)


@dataclass(frozen=True)
class LapseExpiredOffers(Command["list[Booking]"]):
    """The scheduled job: every offer expired by now lapses, once, and its places are offered
    to the next school in line."""


async def lapse_expired_offers(
    _: LapseExpiredOffers, *, uow: CatalogueUnitOfWork, now: datetime, settings: Settings
) -> list[Booking]:
    lapsed = []
    for found in await uow.courses.expired_offers(now):
        session = await uow.courses.session(found.session_id, locked=True)
        booking = await uow.courses.booking(found.order_id, found.line_id)
        if booking is None or not booking.expired(now):  # another worker was first
            continue
        expired_at = booking.offer_expires_at or now
        booking.give_up(session, BookingStatus.LAPSED)
        await uow.courses.save_booking(booking)
        event = PlaceOfferLapsedV1(
            **course_places(booking, session, session.service_id), offer_expired_at=expired_at
        )
        uow.record(event, event_id=caused_event_id(booking.id, event.subject))
        await offer_places(uow, session, cause=booking.id, now=now, settings=settings)
        lapsed.append(booking)
    return lapsed
