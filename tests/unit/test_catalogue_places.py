"""Course places: reserved while they last, then a waiting list served strictly in order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.catalogue.domain.course import (
    Booking,
    BookingStatus,
    CourseSession,
    WaitingLine,
    offer_freed_places,
    places_for_newcomers,
)
from shared.errors import Conflict

EXPIRES = datetime(2027, 1, 6, 17, 0, tzinfo=UTC)
HOLD = timedelta(hours=48)
OFFERED_AT = EXPIRES - HOLD


def session(capacity: int) -> CourseSession:
    return CourseSession.schedule(
        service_id=uuid4(),
        starts_on=date(2027, 1, 14),
        venue="Stevenage",
        online=False,
        capacity=capacity,
        today=date(2027, 1, 4),
    )


def book(course: CourseSession, places: int, waiting: int = 0) -> Booking:
    """Booked behind `waiting` schools, none of which has left the list."""
    line = WaitingLine(last=waiting, waiting=waiting)
    return Booking.request(
        course, order_id=uuid4(), line_id=uuid4(), urn=117083, places=places, line=line
    )


def test_places_are_reserved_until_too_few_are_left_then_schools_wait_in_line() -> None:
    course = session(3)
    first = book(course, 2)
    second = book(course, 2)
    assert (first.status, second.status, second.position) == (
        BookingStatus.RESERVED,
        BookingStatus.WAITING,
        1,
    )
    assert course.places_left == 1


def test_a_new_order_goes_behind_the_schools_waiting_even_for_places_they_cannot_use() -> None:
    course = session(3)
    book(course, 1)
    first_in_line = book(course, 3)
    newcomer = book(course, 2, waiting=1)  # two places are free, the first in line needs three
    assert (newcomer.status, newcomer.position) == (BookingStatus.WAITING, 2)
    assert first_in_line.status is BookingStatus.WAITING
    assert course.places_left == 2
    assert places_for_newcomers(course, WaitingLine(last=2, waiting=2)) == 0
    assert places_for_newcomers(course, WaitingLine(last=2, waiting=0)) == 2


def test_freed_places_go_to_the_first_in_line_and_nobody_jumps_the_queue() -> None:
    course = session(2)
    holder = book(course, 2)
    wants_two = book(course, 2, waiting=0)
    wants_one = book(course, 1, waiting=1)
    holder.release(course)
    assert [
        b.id for b in offer_freed_places(course, [wants_one, wants_two], now=OFFERED_AT, hold=HOLD)
    ] == [wants_two.id]
    assert wants_two.status is BookingStatus.OFFERED
    assert wants_one.status is BookingStatus.WAITING

    smaller = session(3)
    big = book(smaller, 3)
    first = book(smaller, 2, waiting=0)
    second = book(smaller, 1, waiting=1)
    smaller.give_back(1)  # one place back: the first in line wants two, so the second waits too
    assert offer_freed_places(smaller, [first, second], now=OFFERED_AT, hold=HOLD) == []
    assert big.status is BookingStatus.RESERVED


@given(requests=st.lists(st.integers(1, 4), max_size=20), capacity=st.integers(1, 30))
def test_a_session_never_holds_more_places_than_its_capacity(
    requests: list[int], capacity: int
) -> None:
    course = session(capacity)
    bookings: list[Booking] = []
    for places in requests:
        waiting = sum(b.status is BookingStatus.WAITING for b in bookings)
        bookings.append(book(course, places, waiting=waiting))
    held = sum(b.places for b in bookings if b.status is BookingStatus.RESERVED)
    assert held == course.places_taken <= capacity
    reserved = [b.status is BookingStatus.RESERVED for b in bookings]
    assert reserved == sorted(reserved, reverse=True)  # once one waits, every later one waits


def test_a_waiting_list_closes_once_its_session_can_no_longer_be_booked() -> None:
    course = session(capacity=1)
    holder, first, second = book(course, 1), book(course, 1, waiting=0), book(course, 1, waiting=1)
    bookings = [holder, first, second]

    with pytest.raises(Conflict):
        course.close_waiting_list(date(2027, 1, 13), bookings)  # still bookable the day before
    closed = course.close_waiting_list(date(2027, 1, 14), bookings)

    assert closed == [first, second]
    assert [(b.status, b.position) for b in bookings] == [
        (BookingStatus.RESERVED, None),
        (BookingStatus.UNPLACED, None),
        (BookingStatus.UNPLACED, None),
    ]
    assert course.close_waiting_list(date(2027, 1, 15), bookings) == []  # closed once
