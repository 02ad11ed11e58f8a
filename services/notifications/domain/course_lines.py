"""How a message names an order line's course places to whoever reads of them: the school's
business manager and, on a trust's order, the trust's buyer, each told the other is told."""

from __future__ import annotations

from services.notifications.domain.courses import KnownCourse, course_or_session
from services.notifications.domain.offers import Reader
from services.notifications.domain.schools import school_named


def asked_for(
    *,
    reader: Reader,
    urn: int,
    places: int,
    course: KnownCourse,
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
    return f"{WHOSE_ORDER[reader]} asked for {asked} on {course_or_session(course)}{school}"


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
