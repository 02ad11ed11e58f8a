"""An order line for a course session the catalogue booked no places: its school is told why,
once, and on a trust's order the trust's buyer too, who booked it and pays for it. Orders gives
the line back in full (card refunded, invoice credited) whatever the reason."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from services.notifications.domain.course_lines import asked_for, told_too
from services.notifications.domain.courses import KnownCourse, cannot_name, course_headline
from services.notifications.domain.offers import Reader
from services.notifications.domain.sessions import money_back


class Refusal(StrEnum):
    """Why the catalogue booked the line no places (as its news names them)."""

    YEAR_NOT_SOLD = "year_not_sold"
    SESSION_BEGUN = "session_begun"
    SESSION_CALLED_OFF = "session_called_off"
    SERVICE_RETIRED = "service_retired"


@dataclass(frozen=True)
class RefusedLine:
    line_id: UUID
    urn: int
    places: int
    reason: Refusal
    academic_year: str  # the session's
    course: KnownCourse


def refused_key(line_id: UUID) -> str:
    """The occasion of telling that this order line was refused places: one per line."""
    return f"places-refused:{line_id}"


def refused_subject(line: RefusedLine) -> str:
    return f"No place booked: {course_headline(line.course)}"


def refused_text(line: RefusedLine, *, reader: Reader, school_name: str | None = None) -> str:
    """`school_name`: the register's name of the school, which the trust reads."""
    asked = asked_for(
        reader=reader,
        urn=line.urn,
        places=line.places,
        course=line.course,
        school_name=school_name,
    )
    return (
        f"{asked}, but no place was booked: {_why(line)}.{told_too(reader)}"
        f"{cannot_name(line.course)}\n\n"
        f"That line of the order is given back in full. {money_back(reader)}"
    )


def _why(line: RefusedLine) -> str:
    # The catalogue hears of an order after orders took it: a backlog, or its worker down.
    if line.reason is Refusal.SESSION_BEGUN:
        return "the session had already begun by the time the order reached our course bookings"
    if line.reason is Refusal.SESSION_CALLED_OFF:
        return "the session had been called off before the order reached our course bookings"
    if line.reason is Refusal.SERVICE_RETIRED:
        return "the course had been withdrawn from sale by the time the order was placed"
    return (
        f"the course was no longer sold for the academic year {line.academic_year}, the "
        "session's, when the order was placed"
    )
