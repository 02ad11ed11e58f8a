"""The ledger's job (its subscriptions are the EVENTS table of application/handlers.py):
recognising income as it falls due."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from services.ledger.application.recognition import RecogniseDue
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.config import Settings
from shared.bus import MessageBus
from shared.scheduling import Job

log = logging.getLogger(__name__)


def jobs(settings: Settings, bus: MessageBus[LedgerUnitOfWork]) -> tuple[Job, ...]:
    async def recognise() -> None:
        try:
            await bus.handle(RecogniseDue())
        except IntegrityError:  # another worker posted the same recognitions first
            log.info("recognitions already posted by another worker")

    return (Job("recognition", settings.recognition_every_seconds, recognise),)
