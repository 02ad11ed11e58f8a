"""How a message names the course a session is of, which news from before it named courses
may leave it to find in what notifications keeps, or not to know at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


def course_or_session(course: KnownCourse) -> str:
    """The course as a message's text names it: by name, else as a course session, by its day
    if that is known (with `cannot_name` said beside it)."""
    return course_named(course) or session_unnamed(course.starts_on)


def session_unnamed(starts_on: date | None) -> str:
    """A course session whose course is not known by name, by its day if that is."""
    return f"a course session on {long_date(starts_on)}" if starts_on else "a course session"


# Said beside `session_unnamed`, so that no reader takes it for all there is to know.
CANNOT_NAME = "This message cannot name the course: the bookings page linked below shows it."


def cannot_name(course: KnownCourse) -> str:
    """`CANNOT_NAME`, to close a paragraph, where the course is not known by name."""
    return f" {CANNOT_NAME}" if course.title is None else ""
