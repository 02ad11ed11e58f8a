"""How a message names an order line's course places to whoever reads of them: the school's
business manager and, on a trust's order, the trust's buyer, each told the other is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.notifications.domain.offers import Reader
from services.notifications.domain.schools import school_named
from shared.calendar import long_date


@dataclass(frozen=True)
class KnownCourse:
    """The course an order line's places are on, as far as it is known (None: not known): as
    its news names it or, for news from before it did, as notifications keeps it."""

    title: str | None = None
    starts_on: date | None = None  # the day its session starts

    @property
    def whole(self) -> bool:
        return self.title is not None and self.starts_on is not None

    def or_else(self, kept: KnownCourse) -> KnownCourse:
        """What this leaves unknown, taken from `kept`."""
        return KnownCourse(self.title or kept.title, self.starts_on or kept.starts_on)


def course_named(course: KnownCourse) -> str | None:
    """As "Phonics for new teachers on 3 February 2027" (None: not known by name)."""
    if course.title is None:
        return None
    return f"{course.title} on {long_date(course.starts_on)}" if course.starts_on else course.title


def course_headline(course: KnownCourse) -> str:
    """The course as a message's subject names it: by name, else by its day, else as ordered."""
    if course.title is None and course.starts_on:
        return f"a course on {long_date(course.starts_on)}"
    return course_named(course) or "a course you ordered"


def session_unnamed(starts_on: date | None) -> str:
    """A course session whose course is not known by name, by its day if that is."""
    return f"a course session on {long_date(starts_on)}" if starts_on else "a course session"


# Said beside `session_unnamed`, so that no reader takes it for all there is to know.
CANNOT_NAME = "This message cannot name the course: the bookings page linked below shows it."


def cannot_name(course: KnownCourse) -> str:
    """`CANNOT_NAME`, to close a paragraph, where the course is not known by name."""
    return f" {CANNOT_NAME}" if course.title is None else ""


def asked_for(
    *,
    reader: Reader,
    urn: int,
    places: int,
    course: KnownCourse,
    school_name: str | None = None,
) -> str:
    """As "Your order asked for a place on <course>" (`school_name`: the register's name of the
    school, which the trust reads); a course not known by name, by `session_unnamed`."""
    school = {
        Reader.SCHOOL: "",
        Reader.TRUSTS_SCHOOL: " for your school",
        Reader.TRUST: f" for its school {school_named(urn, school_name)}",
    }[reader]
    asked = "a place" if places == 1 else f"{places} places"
    on = course_named(course) or session_unnamed(course.starts_on)
    return f"{WHOSE_ORDER[reader]} asked for {asked} on {on}{school}"


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
