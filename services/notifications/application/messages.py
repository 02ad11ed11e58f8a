"""What a reader and an administrator do with a message kept: read it, or send again one the
mail service refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.notifications.adapters.messages import StoredMessage, no_address
from services.notifications.application.sending import Addressing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import Status
from services.notifications.domain.recipients import Recipient
from shared.bus import Command
from shared.errors import NotFound


@dataclass(frozen=True)
class MarkRead(Command["StoredMessage"]):
    message_id: UUID
    recipients: str  # the recipient key, or a school's prefix, of the reader's messages


@dataclass(frozen=True)
class SendAgain(Command["StoredMessage"]):
    """Once its address or template is put right."""

    message_id: UUID


async def mark_read(
    command: MarkRead, *, uow: NotificationsUnitOfWork, now: datetime
) -> StoredMessage:
    message = await uow.messages.get(command.message_id)
    if not message.recipient.startswith(command.recipients):
        raise NotFound("no such message", field="message_id")
    if message.read_at is not None:
        return message
    await uow.messages.update(message.id, read_at=now)
    return await uow.messages.get(message.id)


async def send_again(
    command: SendAgain, *, uow: NotificationsUnitOfWork, addressing: Addressing, now: datetime
) -> StoredMessage:
    """To the recipient's address as it is now (named since, or put right): one kept with none,
    or with one the mail service refused, goes where it should. With none yet, it stays failed."""
    message = await uow.messages.get(command.message_id)
    if message.status is not Status.FAILED:
        return message
    email = await addressing.email_of(uow, Recipient(message.recipient))
    if not email:
        await uow.messages.update(message.id, outcome=no_address(message.recipient))
        return await uow.messages.get(message.id)
    # due at once, by the clock the delivery job reads, with its few tries after an unexpected
    # error (a fault put right since, say) to come again
    await uow.messages.update(
        message.id, email=email, status=Status.PENDING, next_attempt_at=now, unexpected_errors=0
    )
    return await uow.messages.get(message.id)
