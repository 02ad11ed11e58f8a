"""Which of a course's sessions a school can book: the one rule that the quote, the shop's
list of sessions and a course's next session all apply, so that the shop offers and prices
only what the quote then accepts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from services.catalogue.domain.course import CourseSession
from services.catalogue.domain.service import Service
from shared.calendar import academic_year
from shared.errors import DomainError


def check_may_book(service: Service, session: CourseSession, today: date) -> None:
    """Refused, naming `session_id`, for a session begun, over or called off, or dated in an
    academic year the course is not sold for (its years narrowed after it was scheduled)."""
    session.check_bookable(today)
    service.check_available_in(academic_year(session.starts_on))


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
