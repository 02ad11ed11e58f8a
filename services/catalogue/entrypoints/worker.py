"""Catalogue's jobs (its subscriptions are the EVENTS table of application/handlers.py):
calling off the sessions still under their minimum at their decision date, passing on the
offered places not accepted in time, and closing the waiting lists of sessions no longer booked."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from services.catalogue.application.minimums import CallOffShortSessions
from services.catalogue.application.offers import LapseExpiredOffers
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.application.waiting_lists import CloseWaitingLists
from services.catalogue.config import Settings
from shared.bus import MessageBus
from shared.scheduling import Job

log = logging.getLogger(__name__)


def jobs(settings: Settings, bus: MessageBus[CatalogueUnitOfWork]) -> tuple[Job, ...]:
    async def call_off() -> None:
        try:
            await bus.handle(CallOffShortSessions())
        except IntegrityError:  # another worker recorded the same cancellation first
            log.info("sessions already called off by another worker")

    async def lapse() -> None:
        try:
            await bus.handle(LapseExpiredOffers())
        except IntegrityError:  # another worker lapsed the same offers first
            log.info("offers already lapsed by another worker")

    async def close_waiting_lists() -> None:
        try:
            await bus.handle(CloseWaitingLists())
        except IntegrityError:  # another worker closed the same waiting list first
            log.info("waiting lists already closed by another worker")

    return (
        Job("session-minimums", settings.session_decision_every_seconds, call_off),
        Job("offer-expiry", settings.offer_expiry_every_seconds, lapse),
        Job("waiting-lists", settings.session_decision_every_seconds, close_waiting_lists),
    )
