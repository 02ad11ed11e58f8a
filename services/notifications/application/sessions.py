"""A course session called off, or its waiting list closed: each booked (or still waiting)
school is told, and each trust whose order booked it for some of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from uuid import UUID

from services.notifications.application.offers import offers_closed
from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.application.waiting import waiting_over
from services.notifications.domain.message import Draft
from services.notifications.domain.offers import Reader
from services.notifications.domain.recipients import Recipient, SchoolContact
from services.notifications.domain.sessions import (
    cancelled_subject,
    cancelled_text,
    unplaced_key,
    unplaced_subject,
    unplaced_text,
)
from shared.clock import business_day
from shared.events import Envelope, SessionCancelledV1, WaitingListClosedV1


async def session_cancelled(
    envelope: Envelope[SessionCancelledV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """Each booked school's business manager is told; so is each trust whose order booked it
    for some of them (the trust booked, and pays)."""
    event = envelope.payload
    offered = await uow.read_models.offers_on(event.session_id)
    await offers_closed(uow, offered, why="the session was called off")
    await uow.read_models.close_offers_on(event.session_id)  # one kept later is not opened
    trusts = await uow.read_models.trusts_booked_on(
        event.session_id, event.booked_urns, called_off_on=business_day(envelope.occurred_at)
    )

    def text(reader: Reader, booked_for: tuple[int, ...], names: Mapping[int, str]) -> str:
        return cancelled_text(
            event.title,
            event.starts_on,
            minimum_places=event.minimum_places,
            places_booked=event.places_booked,
            reader=reader,
            trust_booked_for=booked_for,
            school_names=names,
        )

    await _tell_booked(
        uow,
        addressing,
        event.booked_urns,
        trusts,
        key=lambda _: f"session-cancelled:{event.session_id}",
        template="session_cancelled",
        subject=cancelled_subject(event.title, event.starts_on),
        text=text,
        cause=envelope.event_id,
        now=now,
    )


async def waiting_list_closed(
    envelope: Envelope[WaitingListClosedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """Each school still waiting is told no place came, and its money comes back; so is each
    trust whose order booked it for some of them. The trust no longer books those places. Each
    is told once of each of its lines: a list may close in parts, and again for a line that
    joined it late."""
    event = envelope.payload
    by_trust = await uow.read_models.trusts_booking(line.line_id for line in event.lines)
    trusts: dict[str, set[int]] = defaultdict(set)
    lines_of: dict[Recipient, list[UUID]] = defaultdict(list)
    for line in event.lines:
        lines_of[Recipient.school(line.urn, SchoolContact.BUSINESS_MANAGER)].append(line.line_id)
        if line.line_id in by_trust:
            trusts[by_trust[line.line_id]].add(line.urn)
            lines_of[Recipient.trust(by_trust[line.line_id])].append(line.line_id)
        await uow.read_models.places_given_back(line.line_id)
    await waiting_over(uow, [line.line_id for line in event.lines], why="the waiting list closed")

    def text(reader: Reader, booked_for: tuple[int, ...], names: Mapping[int, str]) -> str:
        return unplaced_text(
            event.title,
            event.starts_on,
            reader=reader,
            trust_booked_for=booked_for,
            school_names=names,
        )

    await _tell_booked(
        uow,
        addressing,
        [line.urn for line in event.lines],
        trusts,
        key=lambda recipient: unplaced_key(event.session_id, lines_of[recipient]),
        template="waiting_list_closed",
        subject=unplaced_subject(event.title, event.starts_on),
        text=text,
        cause=envelope.event_id,
        now=now,
    )


async def _tell_booked(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    urns: Iterable[int],
    trusts: Mapping[str, set[int]],
    *,
    key: Callable[[Recipient], str],
    template: str,
    subject: str,
    text: Callable[[Reader, tuple[int, ...], Mapping[int, str]], str],
    cause: UUID,
    now: datetime,
) -> None:
    """News of a session to each of these schools' business managers, and to each trust that
    booked it for some of them (`text` given who reads it, the schools a trust booked for, and
    their names; `key` the occasion of each one's message). A school a trust booked for reads
    as its trust's school, whether or not it booked on its own order too."""
    for_trusts = {urn for booked in trusts.values() for urn in booked}
    told: list[tuple[Recipient, Reader, str, tuple[int, ...]]] = [
        (
            Recipient.school(urn, SchoolContact.BUSINESS_MANAGER),
            Reader.TRUSTS_SCHOOL if urn in for_trusts else Reader.SCHOOL,
            "/bookings",
            (),
        )
        for urn in sorted(set(urns))
    ]
    told += [
        (Recipient.trust(code), Reader.TRUST, "/trust/bookings", tuple(sorted(booked)))
        for code, booked in sorted(trusts.items())
    ]
    names = await uow.read_models.school_names(for_trusts)
    await send(
        uow,
        addressing,
        *(
            Draft(
                key=key(recipient),
                recipient=recipient,
                template=template,
                subject=subject,
                body=text(reader, booked_for, names),
                link=addressing.link(page),
                cause_event_id=cause,
            )
            for recipient, reader, page, booked_for in told
        ),
        now=now,
    )
