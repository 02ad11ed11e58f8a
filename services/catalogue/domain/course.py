"""A course's dated sessions, their places, and the waiting list for places that ran out.

A session may need a minimum number of places booked to run: still under it at its decision
date, it is called off and every booking on it goes back to its school; at it or over, it runs,
whoever cancels afterwards (the decision is taken once). Places offered from the waiting list
are held until the offer expires, at the latest when the session's day begins (booking it ends
then): accepted, they are the school's; declined or lapsed, they pass to the next school in
line. Once the session can no longer be booked, its waiting list closes: a school still waiting
gets no place, and its money back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from shared.calendar import long_date
from shared.clock import business_day, start_of
from shared.errors import Conflict, Invalid


class BookingStatus(StrEnum):
    RESERVED = "reserved"
    WAITING = "waiting"
    OFFERED = "offered"  # freed places held for a school that was waiting
    RELEASED = "released"  # the order was cancelled
    DECLINED = "declined"  # the school turned the offered places down
    LAPSED = "lapsed"  # the offer expired before the school accepted it
    UNPLACED = "unplaced"  # still waiting when the session could no longer be booked
    # no places: the session could no longer be booked when the order was heard of, or the
    # course was no longer sold for the session's year when it was placed
    REFUSED = "refused"


HOLDS_PLACES = {BookingStatus.RESERVED, BookingStatus.OFFERED}
STANDING = HOLDS_PLACES | {BookingStatus.WAITING}  # not yet released, declined or lapsed


@dataclass
class CourseSession:
    id: UUID
    service_id: UUID
    starts_on: date
    venue: str
    online: bool
    capacity: int
    places_taken: int = 0
    minimum_places: int = 0  # 0: it runs however few book
    decision_on: date | None = None  # the day it is decided whether it runs
    cancelled_on: date | None = None
    confirmed_on: date | None = None  # the day it was decided that it runs

    @classmethod
    def schedule(
        cls,
        *,
        service_id: UUID,
        starts_on: date,
        venue: str,
        online: bool,
        capacity: int,
        minimum_places: int = 0,
        decision_on: date | None = None,
        today: date,
    ) -> CourseSession:
        """A session to come; one whose day or decision date is past cannot be scheduled (it
        could never be booked, or never decided)."""
        if starts_on < today:
            raise Invalid(f"{long_date(starts_on)} has passed", field="starts_on")
        if decision_on is not None and decision_on < today:
            raise Invalid(
                f"the decision date {long_date(decision_on)} has passed", field="decision_on"
            )
        if capacity < 1:
            raise Invalid("a session needs at least one place", field="capacity")
        if not venue.strip() and not online:
            raise Invalid("a session is held at a venue or online", field="venue")
        if not 0 <= minimum_places <= capacity:
            raise Invalid("the minimum is between 0 and the capacity", field="minimum_places")
        if minimum_places and decision_on is None:
            raise Invalid("a session with a minimum needs a decision date", field="decision_on")
        if decision_on is not None and decision_on >= starts_on:
            raise Invalid("the decision date comes before the session", field="decision_on")
        return cls(
            uuid4(),
            service_id,
            starts_on,
            venue.strip(),
            online,
            capacity,
            minimum_places=minimum_places,
            decision_on=decision_on,
        )

    def to_decide(self, today: date) -> bool:
        """Its decision date has come, and whether it runs is not yet decided."""
        return (
            self.cancelled_on is None
            and self.confirmed_on is None
            and self.decision_on is not None
            and today >= self.decision_on
        )

    def falls_short(self, today: date) -> bool:
        """Still under its minimum when it is decided whether it runs."""
        return self.to_decide(today) and self.places_taken < self.minimum_places

    def confirm(self, today: date) -> None:
        """It has its minimum at its decision date: it runs, whoever cancels afterwards."""
        if not self.to_decide(today) or self.falls_short(today):
            raise Conflict("only a session at its minimum at its decision date is confirmed")
        self.confirmed_on = today

    def call_off(self, today: date, bookings: list[Booking]) -> list[Booking]:
        """Cancel a session that fell short; its bookings (held or waiting) are released and
        returned, for their schools to have their money back."""
        if not self.falls_short(today):
            raise Conflict("only a session under its minimum at its decision date is called off")
        self.cancelled_on = today
        released = [booking for booking in bookings if booking.status in STANDING]
        for booking in released:
            booking.release(self)
        return released

    def close_waiting_list(self, today: date, waiting: list[Booking]) -> list[Booking]:
        """Once it can no longer be booked (its day has come, or it was called off) no place
        will be offered: each booking still waiting is closed and returned, for its school to be
        told and given its money back."""
        if self.is_bookable(today):
            raise Conflict("a waiting list closes once its session can no longer be booked")
        closed = [booking for booking in waiting if booking.status is BookingStatus.WAITING]
        for booking in closed:
            booking.status, booking.position = BookingStatus.UNPLACED, None
        return closed

    def is_bookable(self, today: date) -> bool:
        """Places are booked until the day before it runs (on the day it may be under way),
        and never once it is called off."""
        return self.cancelled_on is None and today < self.starts_on

    def check_bookable(self, today: date) -> None:
        if self.cancelled_on is not None:
            raise Conflict("that session has been cancelled", field="session_id")
        if not self.is_bookable(today):
            when = "is today" if self.starts_on == today else f"was on {long_date(self.starts_on)}"
            raise Conflict(f"that session {when}: it can no longer be booked", field="session_id")

    def offers_until(self, now: datetime, hold: timedelta) -> datetime | None:
        """When places offered from the waiting list `now` lapse: after `hold`, but no later
        than the moment the session's day begins in England, when booking it ends; None once
        it has (no place is offered on a session under way, over or called off)."""
        if not self.is_bookable(business_day(now)):
            return None
        return min(now + hold, start_of(self.starts_on))

    @property
    def places_left(self) -> int:
        return self.capacity - self.places_taken

    def take(self, places: int) -> bool:
        """Take places if enough are left; False (and nothing taken) if not."""
        if self.cancelled_on is not None or places > self.places_left:
            return False
        self.places_taken += places
        return True

    def give_back(self, places: int) -> None:
        if places > self.places_taken:
            raise Conflict("more places given back than were taken", field="places")
        self.places_taken -= places


@dataclass(frozen=True)
class WaitingLine:
    """A session's waiting list as a new order finds it: the last number taken on it (numbers
    are not reused: a school leaving leaves a gap) and how many schools wait on it."""

    last: int = 0
    waiting: int = 0


def places_for_newcomers(session: CourseSession, line: WaitingLine) -> int:
    """The places a new order may take, and the shop shows as left: none while any school
    waits, since freed places go to the waiting list in order (`offer_freed_places`) and a
    newcomer goes behind those waiting, even for places too few for the first of them."""
    return 0 if line.waiting else session.places_left


@dataclass
class Booking:
    id: UUID
    session_id: UUID
    order_id: UUID
    line_id: UUID
    urn: int
    places: int
    status: BookingStatus
    position: int | None = None  # on the waiting list: 1 is first in line
    offer_expires_at: datetime | None = None  # offered: held for the school until then

    @classmethod
    def request(
        cls,
        session: CourseSession,
        *,
        order_id: UUID,
        line_id: UUID,
        urn: int,
        places: int,
        line: WaitingLine,
    ) -> Booking:
        """Reserve places if there are enough for a newcomer (`places_for_newcomers`);
        otherwise join the end of the waiting `line`."""
        if places <= places_for_newcomers(session, line) and session.take(places):
            status, position = BookingStatus.RESERVED, None
        else:
            status, position = BookingStatus.WAITING, line.last + 1
        return cls(uuid4(), session.id, order_id, line_id, urn, places, status, position)

    @classmethod
    def cancelled_before_placed(
        cls, session_id: UUID, *, order_id: UUID, line_id: UUID, urn: int, places: int
    ) -> Booking:
        """The order's cancellation came before the order itself: the line holds nothing, and
        the order arriving later finds it already released."""
        return cls(uuid4(), session_id, order_id, line_id, urn, places, BookingStatus.RELEASED)

    @classmethod
    def refused(
        cls, session_id: UUID, *, order_id: UUID, line_id: UUID, urn: int, places: int
    ) -> Booking:
        """The order gets no places (see `BookingStatus.REFUSED`): the line holds nothing, and
        is never wait-listed."""
        return cls(uuid4(), session_id, order_id, line_id, urn, places, BookingStatus.REFUSED)

    def accept(self) -> bool:
        """The school took the places offered; False if there is no offer to take."""
        if self.status is not BookingStatus.OFFERED:
            return False
        self.status = BookingStatus.RESERVED
        return True

    def expired(self, now: datetime) -> bool:
        """An offer is open until (not at) the moment it expires."""
        return (
            self.status is BookingStatus.OFFERED
            and self.offer_expires_at is not None
            and now >= self.offer_expires_at
        )

    def give_up(self, session: CourseSession, why: BookingStatus) -> bool:
        """Declined or lapsed: the offered places go back to the session to offer on."""
        if self.status is not BookingStatus.OFFERED:
            return False
        session.give_back(self.places)
        self.status = why
        return True

    def release(self, session: CourseSession) -> None:
        """The order was cancelled: places held go back (a booking already declined or lapsed
        keeps saying so)."""
        if self.status in HOLDS_PLACES:
            session.give_back(self.places)
        if self.status in STANDING:
            self.status = BookingStatus.RELEASED
        self.position = None


def in_line(bookings: list[Booking]) -> list[Booking]:
    """The bookings, each still waiting numbered by its place in line now (1 is first), not by
    the number it took when it joined: schools ahead of it may have left the list since."""
    waiting = [booking for booking in bookings if booking.status is BookingStatus.WAITING]
    places = {
        booking.id: place
        for place, booking in enumerate(sorted(waiting, key=lambda b: b.position or 0), start=1)
    }
    return [
        replace(booking, position=places[booking.id]) if booking.id in places else booking
        for booking in bookings
    ]


def offer_freed_places(
    session: CourseSession, waiting: list[Booking], *, now: datetime, hold: timedelta
) -> list[Booking]:
    """Offer places to the waiting list strictly in order, each held for `hold` from `now`
    (see `CourseSession.offers_until`): the first school that does not fit stops the offers,
    so nobody further down jumps the queue."""
    offered: list[Booking] = []
    expires_at = session.offers_until(now, hold)
    if expires_at is None:
        return offered
    for booking in sorted(waiting, key=lambda b: b.position or 0):
        if not session.take(booking.places):
            break
        booking.status = BookingStatus.OFFERED
        booking.position = None
        booking.offer_expires_at = expires_at
        offered.append(booking)
    return offered
