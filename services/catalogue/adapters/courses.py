from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.catalogue.adapters.tables import bookings, course_sessions
from services.catalogue.domain.course import Booking, BookingStatus, CourseSession, WaitingLine
from shared.clock import in_utc
from shared.errors import NotFound


class CourseRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add_session(self, course_session: CourseSession) -> None:
        await self._session.execute(insert(course_sessions).values(**asdict(course_session)))

    async def session(self, session_id: UUID, *, locked: bool = False) -> CourseSession:
        """`locked` holds the row until commit (PostgreSQL: FOR UPDATE; SQLite's BEGIN
        IMMEDIATE already serialises writers), so two orders cannot both take the last place."""
        query = select(course_sessions).where(course_sessions.c.id == session_id)
        row = (await self._session.execute(query.with_for_update() if locked else query)).first()
        if row is None:
            raise NotFound(f"no course session {session_id}", field="session_id")
        return CourseSession(**row._mapping)

    async def sessions_after(
        self, service_ids: list[UUID], day: date
    ) -> dict[UUID, list[CourseSession]]:
        """Each course's sessions starting after `day`, soonest first (the only ones that may
        still be booked that day: which are is `domain.booking`'s to say)."""
        rows = await self._session.execute(
            select(course_sessions)
            .where(course_sessions.c.service_id.in_(service_ids), course_sessions.c.starts_on > day)
            .order_by(course_sessions.c.starts_on, course_sessions.c.id)
        )
        found: dict[UUID, list[CourseSession]] = {service_id: [] for service_id in service_ids}
        for row in rows:
            found[row.service_id].append(CourseSession(**row._mapping))
        return found

    async def sessions_of(self, service_id: UUID) -> list[CourseSession]:
        rows = await self._session.execute(
            select(course_sessions)
            .where(course_sessions.c.service_id == service_id)
            .order_by(course_sessions.c.starts_on)
        )
        return [CourseSession(**row._mapping) for row in rows]

    async def save_session(self, course_session: CourseSession) -> None:
        await self._session.execute(
            update(course_sessions)
            .where(course_sessions.c.id == course_session.id)
            .values(
                places_taken=course_session.places_taken,
                cancelled_on=course_session.cancelled_on,
                confirmed_on=course_session.confirmed_on,
            )
        )

    async def deciding(self, today: date) -> list[UUID]:
        """Sessions whose decision date has come, not yet called off or confirmed to run."""
        rows = await self._session.execute(
            select(course_sessions.c.id)
            .where(
                course_sessions.c.decision_on <= today,
                course_sessions.c.cancelled_on.is_(None),
                course_sessions.c.confirmed_on.is_(None),
            )
            .order_by(course_sessions.c.decision_on, course_sessions.c.id)
        )
        return [row.id for row in rows]

    async def waiting_on_unbookable(self, today: date) -> list[UUID]:
        """Sessions that can no longer be booked (see `CourseSession.is_bookable`) on which
        some school is still waiting for places."""
        rows = await self._session.execute(
            select(course_sessions.c.id)
            .join(bookings, bookings.c.session_id == course_sessions.c.id)
            .where(
                bookings.c.status == BookingStatus.WAITING.value,
                (course_sessions.c.starts_on <= today) | course_sessions.c.cancelled_on.isnot(None),
            )
            .group_by(course_sessions.c.id, course_sessions.c.starts_on)
            .order_by(course_sessions.c.starts_on, course_sessions.c.id)
        )
        return [row.id for row in rows]

    async def add_booking(self, booking: Booking) -> None:
        await self._session.execute(insert(bookings).values(**_row(booking)))

    async def save_booking(self, booking: Booking) -> None:
        await self._session.execute(
            update(bookings)
            .where(bookings.c.id == booking.id)
            .values(
                status=booking.status.value,
                position=booking.position,
                offer_expires_at=booking.offer_expires_at,
            )
        )

    async def booking(self, order_id: UUID, line_id: UUID) -> Booking | None:
        found = await self._bookings(bookings.c.order_id == order_id, bookings.c.line_id == line_id)
        return found[0] if found else None

    async def expired_offers(self, now: datetime) -> list[Booking]:
        return await self._bookings(
            bookings.c.status == BookingStatus.OFFERED.value, bookings.c.offer_expires_at <= now
        )

    async def bookings_of_order(self, order_id: UUID) -> list[Booking]:
        return await self._bookings(bookings.c.order_id == order_id)

    async def bookings_on(self, session_id: UUID) -> list[Booking]:
        return await self._bookings(bookings.c.session_id == session_id)

    async def waiting_list(self, session_id: UUID) -> list[Booking]:
        return await self._bookings(
            bookings.c.session_id == session_id,
            bookings.c.status == BookingStatus.WAITING.value,
        )

    async def waiting_with(self, urn: int) -> list[Booking]:
        """Every booking waiting on a session on whose waiting list the school waits."""
        theirs = select(bookings.c.session_id).where(
            bookings.c.urn == urn, bookings.c.status == BookingStatus.WAITING.value
        )
        return await self._bookings(
            bookings.c.session_id.in_(theirs), bookings.c.status == BookingStatus.WAITING.value
        )

    async def waiting_line(self, session_id: UUID) -> WaitingLine:
        return (await self.waiting_lines([session_id]))[session_id]

    async def waiting_lines(self, session_ids: list[UUID]) -> dict[UUID, WaitingLine]:
        """Each session's waiting list: the last number taken on it, and how many wait on it."""
        rows = await self._session.execute(
            select(bookings.c.session_id, func.max(bookings.c.position), func.count())
            .where(
                bookings.c.session_id.in_(session_ids),
                bookings.c.status == BookingStatus.WAITING.value,
            )
            .group_by(bookings.c.session_id)
        )
        found = {session_id: WaitingLine() for session_id in session_ids}
        for session_id, last, waiting in rows:
            found[session_id] = WaitingLine(last=int(last or 0), waiting=int(waiting))
        return found

    async def _bookings(self, *conditions: Any) -> list[Booking]:
        rows = await self._session.execute(
            select(bookings).where(*conditions).order_by(bookings.c.position, bookings.c.id)
        )
        return [
            Booking(
                **{
                    **row._mapping,
                    "status": BookingStatus(row.status),
                    "offer_expires_at": row.offer_expires_at and in_utc(row.offer_expires_at),
                }
            )
            for row in rows
        ]


def _row(booking: Booking) -> dict[str, Any]:
    return {**asdict(booking), "status": booking.status.value}
