"""Delivering the messages kept: each pending one whose time has come is claimed, handed to the
mail service, and its outcome recorded at once in a transaction of its own; an outage is retried
with a growing wait, a refusal is kept as failed for an administrator to see.

A mail service cannot take part in our transaction, so a message is sent at least once, and
again only if this worker dies between the mail service taking it and the outcome's commit: the
claim (its next attempt moved a lease ahead) keeps every other worker off it meanwhile, and an
outcome is recorded alone, so one that cannot be written never sends a whole batch again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import OperationalError

from services.notifications.adapters.mailers import Mailer, Outgoing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import (
    PermanentFailure,
    Status,
    TemporaryFailure,
    next_attempt,
)

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)  # far longer than a send; only a dead worker's claim expires
OUTCOME_TRIES = 5


async def deliver_due(
    uow_factory: Callable[[], NotificationsUnitOfWork],
    mailer: Mailer,
    *,
    backoff_seconds: tuple[float, ...],
    batch_size: int,
) -> int:
    """Try one batch of the messages due; how many were delivered."""
    delivered = 0
    for outgoing, attempts in await _claim_due(uow_factory, batch_size):
        outcome = await _hand_over(mailer, outgoing, attempts, backoff_seconds)
        await _record(uow_factory, outgoing, outcome)
        delivered += outcome["status"] is Status.SENT
    return delivered


async def _claim_due(
    uow_factory: Callable[[], NotificationsUnitOfWork], batch_size: int
) -> list[tuple[Outgoing, int]]:
    async with uow_factory() as uow:
        now = datetime.now(UTC)
        claimed = []
        for message in await uow.messages.due(now, limit=batch_size):
            assert message.email is not None
            outgoing = Outgoing(
                message_id=message.id,
                to=message.email,
                template=message.template,
                subject=message.subject,
                body=message.body,
                link=message.link,
                attachments=await uow.messages.attachments_of(message.id),
            )
            await uow.messages.update(message.id, next_attempt_at=now + CLAIM_LEASE)
            claimed.append((outgoing, message.attempts + 1))
        await uow.commit()
    return claimed


async def _hand_over(
    mailer: Mailer, outgoing: Outgoing, attempts: int, backoff_seconds: tuple[float, ...]
) -> dict[str, Any]:
    try:
        reference = await mailer.send(outgoing)
    except TemporaryFailure as error:
        log.warning("message %s not delivered yet: %s", outgoing.message_id, error)
        now = datetime.now(UTC)
        return {
            "status": Status.PENDING,
            "attempts": attempts,
            "outcome": str(error)[:500],
            "next_attempt_at": next_attempt(
                attempts=attempts, now=now, backoff_seconds=backoff_seconds
            ),
        }
    except PermanentFailure as error:
        log.error("message %s refused: %s", outgoing.message_id, error)
        return {
            "status": Status.FAILED,
            "attempts": attempts,
            "outcome": str(error)[:500],
            "next_attempt_at": None,
        }
    return {
        "status": Status.SENT,
        "attempts": attempts,
        "sent_at": datetime.now(UTC),
        "outcome": reference[:500],
        "next_attempt_at": None,
    }


async def _record(
    uow_factory: Callable[[], NotificationsUnitOfWork], outgoing: Outgoing, outcome: dict[str, Any]
) -> None:
    """Write the outcome, waiting out a busy database rather than leaving the claim to expire
    and the message to go a second time."""
    for attempt in range(1, OUTCOME_TRIES + 1):
        try:
            async with uow_factory() as uow:
                await uow.messages.update(outgoing.message_id, **outcome)
                await uow.commit()
            return
        except OperationalError:
            if attempt == OUTCOME_TRIES:
                raise
            log.warning("outcome of message %s not written yet; trying again", outgoing.message_id)
            await asyncio.sleep(0.2 * attempt)
