"""An offered place is held until (not at) the moment its offer expires; accepted it is the
school's, declined or lapsed it goes back to the session for the next school in line."""

from __future__ import annotations

from datetime import timedelta

from services.catalogue.domain.course import (
    Booking,
    BookingStatus,
    CourseSession,
    offer_freed_places,
)
from tests.unit.test_catalogue_places import EXPIRES, HOLD, OFFERED_AT, book, session


def offered() -> tuple[CourseSession, Booking]:
    course = session(2)
    holder = book(course, 2)
    waiting = book(course, 2, waiting=0)
    holder.release(course)
    (offer,) = offer_freed_places(course, [waiting], now=OFFERED_AT, hold=HOLD)
    return course, offer


def test_an_offer_is_open_a_moment_before_it_expires_and_lapsed_at_that_moment() -> None:
    _, offer = offered()
    assert not offer.expired(EXPIRES - timedelta(microseconds=1))
    assert offer.expired(EXPIRES)


def test_an_accepted_offer_is_a_reservation_that_no_longer_expires() -> None:
    _, offer = offered()
    assert offer.accept()
    assert offer.status is BookingStatus.RESERVED
    assert not offer.expired(EXPIRES + timedelta(days=1))
    assert not offer.accept()


def test_a_lapsed_offer_gives_its_places_back_once() -> None:
    course, offer = offered()
    assert offer.give_up(course, BookingStatus.LAPSED)
    assert (offer.status, course.places_left) == (BookingStatus.LAPSED, 2)
    assert not offer.give_up(course, BookingStatus.DECLINED)
    assert not offer.accept()  # too late to accept
