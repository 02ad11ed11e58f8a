"""Messages: each user reads what was sent to them (a school's users, all their school's);
an administrator sees those the mail service refused, and sends them again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import Status
from services.notifications.domain.recipients import Recipient, StaffRole, school_prefix
from services.notifications.entrypoints.schemas import MessagePublic
from shared.auth import ANY_ROLE, Principal, Role
from shared.bounds import PageSize
from shared.deps import Now, unit_of_work
from shared.errors import NotFound
from shared.http import require

router = APIRouter(prefix="/messages", tags=["messages"])

UnitOfWorkDep = Annotated[NotificationsUnitOfWork, Depends(unit_of_work)]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


def recipients_of(user: Principal) -> str:
    """The recipient key (or a school's prefix) whose messages this user reads."""
    if user.urn is not None and user.is_school:
        return school_prefix(user.urn)
    return Recipient.staff(StaffRole(user.role.value)).key


@router.get("")
async def my_messages(
    uow: UnitOfWorkDep, user: SignedIn, limit: PageSize = 50
) -> list[MessagePublic]:
    """What was sent to me, newest first (unread ones have `read` false)."""
    async with uow:
        found = await uow.messages.for_recipients(recipients_of(user), limit=limit)
    return [MessagePublic.of(message) for message in found]


@router.post("/{message_id}/read")
async def mark_read(
    message_id: UUID, uow: UnitOfWorkDep, now: Now, user: SignedIn
) -> MessagePublic:
    """Mark one of my messages read."""
    async with uow:
        message = await uow.messages.get(message_id)
        if not message.recipient.startswith(recipients_of(user)):
            raise NotFound("no such message", field="message_id")
        if message.read_at is None:
            await uow.messages.update(message_id, read_at=now)
            await uow.commit()
            message = await uow.messages.get(message_id)
    return MessagePublic.of(message)


@router.get("/failed")
async def failed_messages(
    uow: UnitOfWorkDep, _: Admin, limit: PageSize = 50
) -> list[MessagePublic]:
    """Messages the mail service refused (or that had no address), newest first."""
    async with uow:
        found = await uow.messages.with_status(Status.FAILED, limit=limit)
    return [MessagePublic.of(message) for message in found]


@router.post("/{message_id}/retry")
async def retry(message_id: UUID, uow: UnitOfWorkDep, _: Admin) -> MessagePublic:
    """Send a refused message again (once its address or template is put right)."""
    async with uow:
        message = await uow.messages.get(message_id)
        if message.status is Status.FAILED and message.email:
            # delivery is scheduled by the wall clock, as the delivery job reads it
            await uow.messages.update(
                message_id, status=Status.PENDING, next_attempt_at=datetime.now(UTC)
            )
            await uow.commit()
            message = await uow.messages.get(message_id)
    return MessagePublic.of(message)
