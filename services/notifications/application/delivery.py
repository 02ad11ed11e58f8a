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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import OperationalError

from services.notifications.adapters.mailers import Mailer, Outgoing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import (
    PermanentFailure,
    Status,
    TemporaryFailure,
    next_attempt,
)
from shared.bounds import is_email_address
from shared.bus import Command, MessageBus

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)  # far longer than a send; only a dead worker's claim expires
OUTCOME_TRIES = 5


@dataclass(frozen=True)
class ClaimDue(Command["list[tuple[Outgoing, int]]"]):
    """Take up to `batch_size` of the messages due, each with the attempt it will be."""

    batch_size: int


@dataclass(frozen=True)
class RecordOutcome(Command[None]):
    message_id: UUID
    outcome: dict[str, Any]


async def deliver_due(
    bus: MessageBus[NotificationsUnitOfWork],
    mailer: Mailer,
    *,
    backoff_seconds: tuple[float, ...],
    batch_size: int,
) -> int:
    """Try one batch of the messages due, each outcome recorded by a command of its own; how
    many were delivered. (The mail service is called between the commands, in no transaction.)"""
    delivered = 0
    claimed: list[tuple[Outgoing, int]] = await bus.handle(ClaimDue(batch_size))
    for outgoing, attempts in claimed:
        outcome = await _hand_over(mailer, outgoing, attempts, backoff_seconds, now=bus.clock.now)
        await _record(bus, RecordOutcome(outgoing.message_id, outcome))
        delivered += outcome["status"] is Status.SENT
    return delivered


async def claim_due(
    command: ClaimDue, *, uow: NotificationsUnitOfWork, now: datetime
) -> list[tuple[Outgoing, int]]:
    claimed = []
    for message in await uow.messages.due(now, limit=command.batch_size):
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
    return claimed


async def record_outcome(command: RecordOutcome, *, uow: NotificationsUnitOfWork) -> None:
    await uow.messages.update(command.message_id, **command.outcome)


async def _hand_over(
    mailer: Mailer,
    outgoing: Outgoing,
    attempts: int,
    backoff_seconds: tuple[float, ...],
    *,
    now: Callable[[], datetime],
) -> dict[str, Any]:
    try:
        if not is_email_address(outgoing.to):  # a list of them, say: "a@b.example,c@d.example"
            raise PermanentFailure(f"not one email address: {outgoing.to!r}")
        reference = await mailer.send(outgoing)
    except TemporaryFailure as error:
        log.warning("message %s not delivered yet: %s", outgoing.message_id, error)
        return {
            "status": Status.PENDING,
            "attempts": attempts,
            "outcome": str(error)[:500],
            "next_attempt_at": next_attempt(
                attempts=attempts, now=now(), backoff_seconds=backoff_seconds
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
        "sent_at": now(),
        "outcome": reference[:500],
        "next_attempt_at": None,
    }


async def _record(bus: MessageBus[NotificationsUnitOfWork], command: RecordOutcome) -> None:
    """Write the outcome, waiting out a busy database rather than leaving the claim to expire
    and the message to go a second time."""
    for attempt in range(1, OUTCOME_TRIES + 1):
        try:
            await bus.handle(command)
            return
        except OperationalError:
            if attempt == OUTCOME_TRIES:
                raise
            log.warning("outcome of message %s not written yet; trying again", command.message_id)
            await asyncio.sleep(0.2 * attempt)
