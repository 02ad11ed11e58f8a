"""How a message names an order line's course places to whoever reads of them: the school's
business manager and, on a trust's order, the trust's buyer, each told the other is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.notifications.domain.offers import Reader
from services.notifications.domain.schools import school_named
from shared.calendar import long_date


def course_named(title: str | None, starts_on: date | None) -> str | None:
    """As "Phonics for new teachers on 3 February 2027" (None: news from before it was named)."""
    if title is None:
        return None
    return f"{title} on {long_date(starts_on)}" if starts_on else title


@dataclass(frozen=True)
class KnownCourse:
    """What notifications keeps of the course an order line's session is of (None: nothing
    kept says), for news that did not name it."""

    title: str | None = None
    starts_on: date | None = None


def session_unnamed(starts_on: date | None) -> str:
    """A course session whose course is not known by name, by its day if that is."""
    return f"a course session on {long_date(starts_on)}" if starts_on else "a course session"


# Said beside `session_unnamed`, so that no reader takes it for all there is to know.
CANNOT_NAME = "This message cannot name the course: the bookings page linked below shows it."


def asked_for(
    *,
    reader: Reader,
    urn: int,
    places: int,
    course: str | None,
    school_name: str | None = None,
) -> str:
    """As "Your order asked for a place on <course>" (`school_name`: the register's name of the
    school, which the trust reads)."""
    school = {
        Reader.SCHOOL: "",
        Reader.TRUSTS_SCHOOL: " for your school",
        Reader.TRUST: f" for its school {school_named(urn, school_name)}",
    }[reader]
    asked = "a place" if places == 1 else f"{places} places"
    return f"{WHOSE_ORDER[reader]} asked for {asked} on {course or 'a course session'}{school}"


def told_too(reader: Reader) -> str:
    if reader is Reader.TRUST:
        return " The school's business manager is told too."
    if reader is Reader.TRUSTS_SCHOOL:
        return " Your trust booked it and is told too."
    return ""


WHOSE_ORDER = {
    Reader.SCHOOL: "Your order",
    Reader.TRUSTS_SCHOOL: "Your trust's order",
    Reader.TRUST: "The trust's order",
}
