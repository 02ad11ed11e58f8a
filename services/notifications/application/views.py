"""What the notifications routes read: each view opens the unit of work it reads in (reads
commit nothing)."""

from __future__ import annotations

from services.notifications.adapters.messages import StoredMessage
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import Status


async def messages_to(
    uow: NotificationsUnitOfWork, recipients: str, *, limit: int
) -> list[StoredMessage]:
    """Newest first, those whose recipient key starts with `recipients`."""
    async with uow:
        return await uow.messages.for_recipients(recipients, limit=limit)


async def failed(uow: NotificationsUnitOfWork, *, limit: int) -> list[StoredMessage]:
    async with uow:
        return await uow.messages.with_status(Status.FAILED, limit=limit)
