"""The course places a trust's orders booked, kept for the trust to hear if a session is called
off. A call-off is decided before its session runs, and cancels that day the orders it empties:
a booking matters no longer once its session has run, nor once its order was cancelled. Each is
kept a month past that all the same, for a call-off that a lagging consumer applies late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID


@dataclass(frozen=True)
class TrustPlaces:
    """The places a trust's order line booked on a course session, for one of its schools."""

    line_id: UUID
    session_id: UUID
    urn: int
    runs_on: date | None  # the day its session runs (None: an order from before lines said)


KEPT_FOR = timedelta(days=31)


def forgotten_before(today: date) -> date:
    """Bookings whose session ran, or whose order was cancelled, before this day are forgotten."""
    return today - KEPT_FOR
