"""An order line for a course session that found no place left: it waits on the session's
waiting list. Its school is told so once, and on a trust's order the trust's buyer too, who
booked it and pays for it; never once the line waits no more (a place held or offered for it,
the list closed, its order cancelled). Orders charges a waiting line with the rest of its order,
as it does a booked place, and gives all of it back if no place comes to it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.notifications.domain.course_lines import asked_for, told_too
from services.notifications.domain.courses import KnownCourse, cannot_name, course_headline
from services.notifications.domain.offers import Reader
from services.notifications.domain.sessions import NOTHING_KEPT, ORDERS_PAGE


@dataclass(frozen=True)
class WaitingLine:
    line_id: UUID
    urn: int
    places: int
    position: int  # its place in line (0: not known)
    course: KnownCourse


def waiting_key(line_id: UUID) -> str:
    """The occasion of telling that this order line waits: one per line."""
    return f"places-unavailable:{line_id}"


def waiting_subject(line: WaitingLine) -> str:
    return f"On the waiting list: {course_headline(line.course)}"


def waiting_text(line: WaitingLine, *, reader: Reader, school_name: str | None = None) -> str:
    """`school_name`: the register's name of the school, which the trust reads."""
    asked = asked_for(
        reader=reader,
        urn=line.urn,
        places=line.places,
        course=line.course,
        school_name=school_name,
    )
    position = f", number {line.position} in line" if line.position else ""
    return (
        f"{asked}, but none were left: "
        f"that line of the order is on the session's waiting list{position}."
        f"{told_too(reader)}{cannot_name(line.course)}\n\n"
        f"If a place comes free when the line's turn comes, it is offered to {OFFERED_TO[reader]} "
        "by email, to accept or decline by the time the offer says; if none comes free before "
        "the session runs, the line gets no place.\n\n"
        "The line is paid for with the rest of its order, as a booked place is (by card, or on "
        "the order's invoice), and nothing of it is refunded or credited while it waits. If it "
        "gets no place (the list closes, or an offer of one is declined or not accepted in "
        f"time), it is given back in full. {NOTHING_KEPT}\n\n"
        "Cancelling the order while the line waits gives all of its price back, in the same "
        f"way.\n\n{ORDERS_PAGE[reader]}"
    )


OFFERED_TO = {  # as the offer's messages go
    Reader.SCHOOL: "you",
    Reader.TRUSTS_SCHOOL: "you and your trust",
    Reader.TRUST: "the trust and the school",
}
