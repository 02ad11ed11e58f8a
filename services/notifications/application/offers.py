"""Waiting-list places offered to an order line: told to whoever booked it, and withdrawn
unsent once the places are taken, declined or passed on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from services.notifications.application.line_courses import course_of_line
from services.notifications.application.line_readers import readers_of_line
from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.application.waiting import waiting_over
from services.notifications.domain.message import Draft
from services.notifications.domain.offers import (
    OpenOffer,
    Reader,
    lapsed,
    offer_key,
    offer_keys,
    offer_text,
)
from shared.events import (
    Envelope,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    PlaceOfferedV1,
    PlaceOfferLapsedV1,
    PlacesReservedV1,
)


async def place_offered(
    envelope: Envelope[PlaceOfferedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    await waiting_over(uow, [event.line_id], why="places were offered to the line")
    course = await course_of_line(uow, event)  # kept with the offer, for its reminder
    offer = OpenOffer(
        order_id=event.order_id,
        line_id=event.line_id,
        urn=event.urn,
        places=event.places,
        expires_at=event.offer_expires_at,
        session_id=event.session_id,
        title=course.title,
        starts_on=course.starts_on,
    )
    if lapsed(offer, now):  # applied late: no answer is taken now, and its lapse follows
        return
    if await uow.read_models.open_offer(offer):  # not taken, declined or cancelled already
        drafts = await offers_drafted(uow, addressing, [offer], reminder=False, cause=envelope)
        await send(uow, addressing, *drafts, now=now)


async def offers_drafted(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    offers: Sequence[OpenOffer],
    *,
    reminder: bool,
    cause: Envelope[Any] | None = None,
) -> list[Draft]:
    """The messages of these offers, each to whoever booked its places (`_offer_drafts`)."""
    trusts = await uow.read_models.trusts_booking([offer.line_id for offer in offers])
    names = await uow.read_models.school_names([offer.urn for offer in offers])
    return [
        draft
        for offer in offers
        for draft in _offer_drafts(
            offer,
            addressing,
            trust_code=trusts.get(offer.line_id),
            school_name=names.get(offer.urn),
            reminder=reminder,
            cause=cause,
        )
    ]


def _offer_drafts(
    offer: OpenOffer,
    addressing: Addressing,
    *,
    trust_code: str | None,
    school_name: str | None,
    reminder: bool,
    cause: Envelope[Any] | None = None,
) -> list[Draft]:
    """To whoever hears of the line's places (`readers_of_line`; the trust's buyer reads the
    school by its name on the register, `school_name`): either may answer."""
    drafts = []
    for recipient, reader, page in readers_of_line(offer.urn, trust_code):
        subject, body = offer_text(offer, reminder=reminder, reader=reader, school_name=school_name)
        answer = addressing.link(f"{page}?offer={offer.line_id}")
        whose = "the trust's" if reader is Reader.TRUST else "your"
        drafts.append(
            Draft(
                key=offer_key(offer.line_id, reminder=reminder),
                recipient=recipient,
                template="place_offer_reminder" if reminder else "place_offered",
                subject=subject,
                body=f"{body}\n\nAnswer on {whose} bookings page: {answer}",
                link=answer,
                cause_event_id=cause.event_id if cause else None,
            )
        )
    return drafts


async def offer_closed(
    envelope: Envelope[PlacesReservedV1] | Envelope[PlaceOfferAcceptedV1],
    *,
    uow: NotificationsUnitOfWork,
) -> None:
    """Nothing is on offer to this order line any more: its places were taken (its order's
    other lines may still wait for theirs)."""
    await offers_closed(uow, [envelope.payload.line_id], why="its places were taken")


async def offer_given_back(
    envelope: Envelope[PlaceOfferDeclinedV1] | Envelope[PlaceOfferLapsedV1],
    *,
    uow: NotificationsUnitOfWork,
) -> None:
    """The offer was declined or passed on: nothing is on offer to the line, nor booked by it."""
    await offers_closed(uow, [envelope.payload.line_id], why="the offer was declined or lapsed")
    await uow.read_models.places_given_back(envelope.payload.line_id)


async def offers_closed(
    uow: NotificationsUnitOfWork, line_ids: Iterable[UUID], *, why: str
) -> None:
    """Nothing is on offer to these order lines, nor do they wait: an offer's message, or one
    saying they wait, not sent yet is withdrawn."""
    line_ids = list(line_ids)
    for line_id in line_ids:
        await uow.read_models.close_offer(line_id)
        await uow.messages.withdraw(offer_keys(line_id), why=f"withdrawn: {why}")
    await waiting_over(uow, line_ids, why=why)
