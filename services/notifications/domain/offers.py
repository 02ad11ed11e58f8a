"""A waiting-list place offered to a school: told at once, and told again the day before the
offer lapses if the school has not taken it up; never once it has lapsed (its lapse, which passes
it on, may be applied after that moment). On a trust's order the trust's buyer, who booked it and
pays for it, is told as well: either may answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from uuid import UUID

from services.notifications.domain.courses import KnownCourse, cannot_name, course_or_session
from services.notifications.domain.schools import school_named
from shared.clock import business_day, time_and_day


@dataclass(frozen=True)
class OpenOffer:
    order_id: UUID
    line_id: UUID
    urn: int
    places: int
    expires_at: datetime
    session_id: UUID | None = None  # None: remembered before offers kept their session
    title: str | None = None  # the course (None: neither its news nor anything kept named it)
    starts_on: date | None = None  # the day its session starts

    @property
    def course(self) -> KnownCourse:
        return KnownCourse(self.title, self.starts_on)


def about_to_lapse(offer: OpenOffer, today: date) -> bool:
    """From the day before it lapses until it lapses."""
    lapses_on = business_day(offer.expires_at)
    return lapses_on - timedelta(days=1) <= today <= lapses_on


def lapsed(offer: OpenOffer, now: datetime) -> bool:
    """Past its expiry: no answer is taken any more, whatever the day."""
    return now >= offer.expires_at


def offer_key(line_id: UUID, *, reminder: bool) -> str:
    """The occasion of an offer's message, or of its reminder (one each per order line)."""
    return f"place-{'lapsing' if reminder else 'offered'}:{line_id}"


def offer_keys(line_id: UUID) -> tuple[str, ...]:
    """Every message an offer to this order line makes."""
    return offer_key(line_id, reminder=False), offer_key(line_id, reminder=True)


class Reader(Enum):
    """Who an offer's message is for."""

    SCHOOL = "school"  # the school, on its own order
    TRUSTS_SCHOOL = "trusts_school"  # the school, on its trust's order: the trust is told too
    TRUST = "trust"  # the trust whose order it is: the school is told too


def offer_text(
    offer: OpenOffer,
    *,
    reminder: bool,
    reader: Reader = Reader.SCHOOL,
    school_name: str | None = None,
) -> tuple[str, str]:
    """`school_name`: the register's name of the school, which the trust reads."""
    places = "a place" if offer.places == 1 else f"{offer.places} places"
    expiry = time_and_day(offer.expires_at)
    for_trust = reader is Reader.TRUST
    school = f"the trust's school {school_named(offer.urn, school_name)}"
    course = course_or_session(offer.course)
    if reminder:
        whose = "The trust's" if for_trust else "Your"
        subject = f"{whose} offered course place lapses soon"
        on = f"{course}, for {school}," if for_trust else course
        opening = f"The offer of {places} on {on} lapses at {expiry}."
    else:
        subject = (
            "A course place the trust waited for is free to take"
            if for_trust
            else "A course place you waited for is yours to take"
        )
        opening = f"{places.capitalize()} on {course} came free for "
        opening += f"{school}." if for_trust else "you."
    body = (
        f"{opening}{_also_told(reader)}{cannot_name(offer.course)}\n\n"
        f"Accept or decline it before {expiry}; after that it goes to the next school."
    )
    return subject, body


def _also_told(reader: Reader) -> str:
    if reader is Reader.TRUST:
        return " The school's business manager is told too: either of you may answer."
    if reader is Reader.TRUSTS_SCHOOL:
        return " Your trust booked it and is told too: either of you may answer."
    return ""
