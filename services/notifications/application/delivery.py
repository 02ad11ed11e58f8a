"""Delivering the messages kept: each pending one whose time has come is handed to the mail
service; an outage is retried with a growing wait, a refusal is kept as failed for an
administrator to see."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from services.notifications.adapters.mailers import Mailer, Outgoing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import (
    PermanentFailure,
    Status,
    TemporaryFailure,
    next_attempt,
)

log = logging.getLogger(__name__)


async def deliver_due(
    uow_factory: Callable[[], NotificationsUnitOfWork],
    mailer: Mailer,
    *,
    backoff_seconds: tuple[float, ...],
    batch_size: int,
) -> int:
    """Try one batch of the messages due; how many were delivered. The batch's rows stay
    locked until its outcomes commit, so two workers never send the same message."""
    delivered = 0
    async with uow_factory() as uow:
        now = datetime.now(UTC)
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
            attempts = message.attempts + 1
            try:
                reference = await mailer.send(outgoing)
            except TemporaryFailure as error:
                log.warning("message %s not delivered yet: %s", message.id, error)
                await uow.messages.update(
                    message.id,
                    attempts=attempts,
                    outcome=str(error)[:500],
                    next_attempt_at=next_attempt(
                        attempts=attempts, now=now, backoff_seconds=backoff_seconds
                    ),
                )
                continue
            except PermanentFailure as error:
                log.error("message %s refused: %s", message.id, error)
                await uow.messages.update(
                    message.id,
                    attempts=attempts,
                    status=Status.FAILED,
                    outcome=str(error)[:500],
                    next_attempt_at=None,
                )
                continue
            await uow.messages.update(
                message.id,
                attempts=attempts,
                status=Status.SENT,
                sent_at=datetime.now(UTC),
                outcome=reference[:500],
                next_attempt_at=None,
            )
            delivered += 1
        await uow.commit()
    return delivered
