"""What notifications forgets once it can no longer matter. Run by the worker's scheduler on a
timer; a second run, or a second worker, finds nothing left to forget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.trust_bookings import forgotten_before
from shared.bus import Command


@dataclass(frozen=True)
class ForgetPastTrustBookings(Command["int"]):
    """Forget the trusts' bookings whose session has run, or whose order was cancelled."""


async def forget_past_trust_bookings(
    _command: ForgetPastTrustBookings, *, uow: NotificationsUnitOfWork, today: date
) -> int:
    """How many were forgotten."""
    return await uow.read_models.forget_trust_bookings(before=forgotten_before(today))
