"""Delivering the messages kept: each pending one whose time has come is claimed, handed to the
mail service, and its outcome recorded at once in a transaction of its own; an outage is retried
with a growing wait, a refusal is kept as failed for an administrator to see, and an error that
is neither is retried as an outage is, a few times, then kept as failed too.

A mail service cannot take part in our transaction, so a message is sent at least once, and
again only if this worker dies between the mail service taking it and the outcome's commit.
A worker claims one message at a time (its next attempt moved a lease ahead, under a claim of
its own) and renews the lease while the mail service takes its time, so a slow send never lets
another worker take the message: only a dead worker's claim runs out. Only the claim's holder
records an outcome, and each alone, so one that cannot be written never sends a batch again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.exc import OperationalError

from services.notifications.adapters.mailers import Mailer, Outgoing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import (
    UNEXPECTED_ERRORS_TRIED,
    PermanentFailure,
    Status,
    TemporaryFailure,
    given_up,
    next_attempt,
)
from shared.bounds import is_email_address
from shared.bus import Command, MessageBus

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)  # renewed every third of it while the message is sent
OUTCOME_TRIES = 5


@dataclass(frozen=True)
class Claimed:
    outgoing: Outgoing
    attempts: int  # the attempt this is
    claim: UUID  # this worker's, until its outcome is recorded or its lease runs out
    unexpected_errors: int  # the earlier attempts' errors neither temporary nor permanent


@dataclass(frozen=True)
class ClaimNext(Command["Claimed | None"]):
    """Take the next message due, if there is one, for `lease`."""

    lease: timedelta


@dataclass(frozen=True)
class RenewClaim(Command[bool]):
    """Hold the message another `lease`; False if the claim was lost (it ran out, and another
    worker took the message)."""

    message_id: UUID
    claim: UUID
    lease: timedelta


@dataclass(frozen=True)
class RecordOutcome(Command[bool]):
    """False if the claim was lost: the worker that holds it now records its own."""

    message_id: UUID
    claim: UUID
    outcome: dict[str, Any]


async def deliver_due(
    bus: MessageBus[NotificationsUnitOfWork],
    mailer: Mailer,
    *,
    backoff_seconds: tuple[float, ...],
    batch_size: int,
    lease: timedelta = CLAIM_LEASE,
) -> int:
    """Try up to `batch_size` of the messages due, one after another, each claimed, sent and its
    outcome recorded by commands of its own; how many were delivered. (The mail service is
    called between the commands, in no transaction.)"""
    delivered = 0
    for _ in range(batch_size):
        claimed: Claimed | None = await bus.handle(ClaimNext(lease))
        if claimed is None:
            break
        outgoing = claimed.outgoing
        outcome = await _held(
            bus,
            claimed,
            lease,
            _hand_over(mailer, claimed, backoff_seconds, now=bus.clock.now),
        )
        await _record(bus, RecordOutcome(outgoing.message_id, claimed.claim, outcome))
        delivered += outcome["status"] is Status.SENT
    return delivered


async def claim_next(
    command: ClaimNext, *, uow: NotificationsUnitOfWork, now: datetime
) -> Claimed | None:
    due = await uow.messages.due(now, limit=1)
    if not due:
        return None
    [message] = due
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
    claim = uuid4()
    await uow.messages.update(message.id, next_attempt_at=now + command.lease, claim=claim)
    return Claimed(outgoing, message.attempts + 1, claim, message.unexpected_errors)


async def renew_claim(command: RenewClaim, *, uow: NotificationsUnitOfWork, now: datetime) -> bool:
    return await uow.messages.update_claimed(
        command.message_id, command.claim, next_attempt_at=now + command.lease
    )


async def record_outcome(command: RecordOutcome, *, uow: NotificationsUnitOfWork) -> bool:
    recorded = await uow.messages.record_outcome(command.message_id, command.claim, command.outcome)
    if not recorded:
        log.error(
            "outcome of message %s not recorded: its claim ran out and another worker took it",
            command.message_id,
        )
    return recorded


async def _held(
    bus: MessageBus[NotificationsUnitOfWork],
    claimed: Claimed,
    lease: timedelta,
    sending: Awaitable[dict[str, Any]],
) -> dict[str, Any]:
    """Await the send, renewing the claim every third of its lease until it is done, however
    long the mail service takes."""
    send = asyncio.ensure_future(sending)
    renew = RenewClaim(claimed.outgoing.message_id, claimed.claim, lease)
    try:
        while True:
            done, _ = await asyncio.wait({send}, timeout=lease.total_seconds() / 3)
            if done:
                return send.result()
            try:
                if not await bus.handle(renew):
                    log.error("message %s: its claim ran out while it was sent", renew.message_id)
            except Exception:  # the send goes on: the next renewal may get through
                log.exception("message %s: its claim not renewed yet", renew.message_id)
    finally:
        send.cancel()  # when this worker is stopped mid-send (done already, it does nothing)


async def _hand_over(
    mailer: Mailer,
    claimed: Claimed,
    backoff_seconds: tuple[float, ...],
    *,
    now: Callable[[], datetime],
) -> dict[str, Any]:
    outgoing, attempts = claimed.outgoing, claimed.attempts

    def tried_again(outcome: str) -> dict[str, Any]:
        return {
            "status": Status.PENDING,
            "attempts": attempts,
            "outcome": outcome[:500],
            "next_attempt_at": next_attempt(
                attempts=attempts, now=now(), backoff_seconds=backoff_seconds
            ),
        }

    def failed(outcome: str) -> dict[str, Any]:
        return {
            "status": Status.FAILED,
            "attempts": attempts,
            "outcome": outcome[:500],
            "next_attempt_at": None,
        }

    try:
        if not is_email_address(outgoing.to):  # a list of them, say: "a@b.example,c@d.example"
            raise PermanentFailure(f"not one email address: {outgoing.to!r}")
        reference = await mailer.send(outgoing)
    except TemporaryFailure as error:
        log.warning("message %s not delivered yet: %s", outgoing.message_id, error)
        return tried_again(str(error))
    except PermanentFailure as error:
        log.error("message %s refused: %s", outgoing.message_id, error)
        return failed(str(error))
    except Exception as error:  # neither: it may pass, so it is tried again, but not for ever
        unexpected = claimed.unexpected_errors + 1
        log.exception(
            "message %s not delivered: unexpected error %d of the %d tried",
            outgoing.message_id,
            unexpected,
            UNEXPECTED_ERRORS_TRIED,
        )
        said = f"unexpected error {unexpected} of the {UNEXPECTED_ERRORS_TRIED} tried: {error!r}"
        outcome = failed(said) if given_up(unexpected) else tried_again(said)
        return {**outcome, "unexpected_errors": unexpected}
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
