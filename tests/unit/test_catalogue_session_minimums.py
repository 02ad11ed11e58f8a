"""A session with a minimum runs only if enough places are booked by its decision date."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.catalogue.domain.course import Booking, BookingStatus, CourseSession, WaitingLine
from shared.errors import Conflict, Invalid

DECISION = date(2027, 1, 4)


def session(minimum: int = 4, capacity: int = 12) -> CourseSession:
    return CourseSession.schedule(
        service_id=uuid4(),
        starts_on=date(2027, 1, 14),
        venue="Stevenage",
        online=False,
        capacity=capacity,
        minimum_places=minimum,
        decision_on=DECISION,
        today=DECISION,
    )


def book(course: CourseSession, places: int) -> Booking:
    return Booking.request(
        course, order_id=uuid4(), line_id=uuid4(), urn=117083, places=places, line=WaitingLine()
    )


def test_one_place_under_the_minimum_on_the_decision_date_falls_short() -> None:
    course = session(minimum=4)
    book(course, 3)
    assert course.falls_short(DECISION)


def test_exactly_the_minimum_on_the_decision_date_runs() -> None:
    course = session(minimum=4)
    book(course, 4)
    assert not course.falls_short(DECISION)
    assert not course.falls_short(DECISION + timedelta(days=5))


def test_under_the_minimum_the_day_before_the_decision_date_is_not_yet_decided() -> None:
    course = session(minimum=4)
    book(course, 1)
    assert not course.falls_short(DECISION - timedelta(days=1))


def test_a_session_confirmed_at_its_decision_date_never_falls_short_afterwards() -> None:
    course = session(minimum=4)
    leaving = book(course, 1)
    book(course, 3)
    course.confirm(DECISION)
    leaving.release(course)
    assert not course.falls_short(DECISION)
    assert not course.falls_short(DECISION + timedelta(days=30))
    with pytest.raises(Conflict):
        course.confirm(DECISION)  # decided once


def test_a_session_short_of_its_minimum_is_not_confirmed() -> None:
    course = session(minimum=4)
    book(course, 3)
    with pytest.raises(Conflict):
        course.confirm(DECISION)
    assert course.falls_short(DECISION)


def test_a_session_without_a_minimum_never_falls_short() -> None:
    course = session(minimum=0)
    assert not course.falls_short(DECISION + timedelta(days=30))


def test_calling_off_releases_every_booking_and_takes_no_more_places() -> None:
    course = session(minimum=4, capacity=4)
    held, waiting = book(course, 2), book(course, 3)
    assert waiting.status is BookingStatus.WAITING
    released = course.call_off(DECISION, [held, waiting])
    assert {b.status for b in released} == {BookingStatus.RELEASED}
    assert (course.cancelled_on, course.places_taken) == (DECISION, 0)
    assert not course.take(1)
    assert not course.falls_short(DECISION)  # called off once


def test_a_session_that_reached_its_minimum_cannot_be_called_off() -> None:
    course = session(minimum=1)
    book(course, 1)
    with pytest.raises(Conflict):
        course.call_off(DECISION, [])


@pytest.mark.parametrize(
    ("minimum", "decision_on", "field"),
    [
        (13, DECISION, "minimum_places"),
        (-1, DECISION, "minimum_places"),
        (4, None, "decision_on"),
        (4, date(2027, 1, 14), "decision_on"),
    ],
)
def test_a_minimum_beyond_capacity_or_a_decision_not_before_the_session_is_refused(
    minimum: int, decision_on: date | None, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        CourseSession.schedule(
            service_id=uuid4(),
            starts_on=date(2027, 1, 14),
            venue="Stevenage",
            online=False,
            capacity=12,
            minimum_places=minimum,
            decision_on=decision_on,
            today=DECISION,
        )
    assert refused.value.field == field
