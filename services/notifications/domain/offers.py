"""A waiting-list place offered to a school: told at once, and told again the day before the
offer lapses if the school has not taken it up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from shared.calendar import long_date
from shared.clock import business_day, time_and_day


@dataclass(frozen=True)
class OpenOffer:
    order_id: UUID
    line_id: UUID
    urn: int
    places: int
    expires_at: datetime
    session_id: UUID | None = None  # None: remembered before offers kept their session
    title: str | None = None  # the course (None: an offer from before offers named it)
    starts_on: date | None = None  # the day its session starts


def about_to_lapse(offer: OpenOffer, today: date) -> bool:
    """From the day before it lapses until it lapses."""
    lapses_on = business_day(offer.expires_at)
    return lapses_on - timedelta(days=1) <= today <= lapses_on


def offer_text(offer: OpenOffer, *, reminder: bool) -> tuple[str, str]:
    places = "a place" if offer.places == 1 else f"{offer.places} places"
    expiry = time_and_day(offer.expires_at)
    if reminder:
        subject = "Your offered course place lapses soon"
        opening = f"The offer of {places} on {_course(offer)} lapses at {expiry}."
    else:
        subject = "A course place you waited for is yours to take"
        opening = f"{places.capitalize()} on {_course(offer)} came free for you."
    body = (
        f"{opening}\n\nAccept or decline it before {expiry}; after that it goes to the next school."
    )
    return subject, body


def _course(offer: OpenOffer) -> str:
    if offer.title is None:
        return "a course you waited for"
    if offer.starts_on is None:
        return offer.title
    return f"{offer.title} on {long_date(offer.starts_on)}"
