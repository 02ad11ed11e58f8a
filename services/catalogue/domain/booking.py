"""Which of a course's sessions a school can book: the one rule that the quote, the shop's
list of sessions and a course's next session all apply, so that the shop offers and prices
only what the quote then accepts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from services.catalogue.domain.course import CourseSession
from services.catalogue.domain.service import Service, ServiceType
from shared.calendar import academic_year
from shared.errors import DomainError, Invalid


def check_may_book(service: Service, session: CourseSession, today: date) -> None:
    """Refused, naming `session_id`, for a session begun, over or called off, or dated in an
    academic year the course is not sold for (its years narrowed after it was scheduled)."""
    session.check_bookable(today)
    service.check_available_in(academic_year(session.starts_on))


def check_session_chosen(service: Service, sessions: Iterable[CourseSession], today: date) -> None:
    """A course bought without a session: refused, naming `session_id`, if it has a session a
    school may book `today` (places bought on none are charged and booked onto nothing), or if
    every session it had is over or called off (nothing is left to deliver). Only a course that
    never had a session is bought undated, as a line delivered later."""
    if service.service_type is not ServiceType.COURSE:
        return
    sessions = list(sessions)
    if bookable_sessions(service, sessions, today):
        raise Invalid(
            f"{service.title} runs on dated sessions: choose the session to book",
            field="session_id",
        )
    if sessions:
        raise Invalid(
            f"{service.title} has no sessions to book: each has passed or was called off",
            field="session_id",
        )


def bookable_sessions(
    service: Service, sessions: Iterable[CourseSession], today: date
) -> list[CourseSession]:
    """The `sessions` of `service` a school may book `today` (`check_may_book`), in order."""
    return [session for session in sessions if _may_book(service, session, today)]


def _may_book(service: Service, session: CourseSession, today: date) -> bool:
    try:
        check_may_book(service, session, today)
    except DomainError:
        return False
    return True
