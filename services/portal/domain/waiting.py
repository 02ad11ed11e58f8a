"""A course line's place on a waiting list, as the catalogue numbers it now: orders keeps the
number the line took when it joined, which schools ahead leaving the list make stale."""

from __future__ import annotations

from uuid import UUID

from shared.api.orders import Booking, BookingPublic


def in_line_now(
    bookings: list[BookingPublic], places: dict[tuple[UUID, UUID], int]
) -> list[BookingPublic]:
    """The `bookings`, each waiting line numbered by its place in line now (`places`, by order
    and line); one the catalogue has no place for (no longer waiting, its news on the way)
    shows no number rather than the one it took."""
    return [_now(booking, places) for booking in bookings]


def waiting_schools(bookings: list[BookingPublic]) -> list[int]:
    """The schools with a line on a waiting list, each once."""
    return sorted({booking.urn for booking in bookings if _waiting(booking)})


def _waiting(booking: BookingPublic) -> bool:
    return booking.line.booking is Booking.WAITING


def _now(booking: BookingPublic, places: dict[tuple[UUID, UUID], int]) -> BookingPublic:
    if not _waiting(booking):
        return booking
    line = booking.line
    place = places.get((booking.order_id, line.line_id)) if line.line_id else None
    return booking.model_copy(update={"line": line.model_copy(update={"waiting_position": place})})
