"""A course's sessions as the catalogue admin reads them: the places on each, the offers still
open to schools that were waiting, and the waiting list in the order it stands now."""

from __future__ import annotations

from dataclasses import dataclass

from shared.api.catalogue import BookingPublic, SessionPublic


@dataclass(frozen=True)
class SessionBookings:
    session: SessionPublic
    offers_open: int  # freed places offered to a school that was waiting, not yet answered
    waiting: list[BookingPublic]  # first in line first

    @classmethod
    def of(cls, session: SessionPublic, bookings: list[BookingPublic]) -> SessionBookings:
        waiting = [booking for booking in bookings if booking.status == "waiting"]
        return cls(
            session=session,
            offers_open=sum(booking.status == "offered" for booking in bookings),
            waiting=sorted(waiting, key=lambda booking: booking.position or 0),
        )
