"""Messages: each user reads what was sent to them (a school's users, all their school's);
an administrator sees those the mail service refused, and sends them again."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.notifications.application import views
from services.notifications.application.messages import MarkRead, SendAgain
from services.notifications.domain.recipients import Recipient, StaffRole, school_prefix
from services.notifications.entrypoints.deps import Admin, BusDep, SignedIn, UnitOfWorkDep
from services.notifications.entrypoints.schemas import MessagePublic
from shared.auth import Principal
from shared.bounds import PageSize

router = APIRouter(prefix="/messages", tags=["messages"])


def recipients_of(user: Principal) -> str:
    """The recipient key (or a school's prefix) whose messages this user reads."""
    if user.urn is not None and user.is_school:
        return school_prefix(user.urn)
    if user.is_trust_buyer and user.trust is not None:
        return Recipient.trust(user.trust).key
    return Recipient.staff(StaffRole(user.role.value)).key


@router.get("")
async def my_messages(
    uow: UnitOfWorkDep, user: SignedIn, limit: PageSize = 50
) -> list[MessagePublic]:
    """What was sent to me, newest first (unread ones have `read` false)."""
    found = await views.messages_to(uow, recipients_of(user), limit=limit)
    return [MessagePublic.of(message) for message in found]


@router.post("/{message_id}/read")
async def mark_read(message_id: UUID, bus: BusDep, user: SignedIn) -> MessagePublic:
    """Mark one of my messages read."""
    return MessagePublic.of(await bus.handle(MarkRead(message_id, recipients_of(user))))


@router.get("/failed")
async def failed_messages(
    uow: UnitOfWorkDep, _: Admin, limit: PageSize = 50
) -> list[MessagePublic]:
    """Messages the mail service refused (or that had no address), newest first."""
    return [MessagePublic.of(message) for message in await views.failed(uow, limit=limit)]


@router.post("/{message_id}/retry")
async def retry(message_id: UUID, bus: BusDep, _: Admin) -> MessagePublic:
    """Send a refused message again (once its address or template is put right)."""
    return MessagePublic.of(await bus.handle(SendAgain(message_id)))
