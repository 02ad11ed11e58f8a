"""Deciding to send: each draft kept once for its recipient, addressed from the school's named
contacts or the staff role's mailbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.config import Settings
from services.notifications.domain.message import Draft
from services.notifications.domain.recipients import Recipient


@dataclass(frozen=True)
class Addressing:
    """Where a recipient's email goes."""

    staff_emails: dict[str, str]
    school_email_pattern: str | None  # outside production, for contacts not yet named
    portal_url: str

    @classmethod
    def of(cls, settings: Settings) -> Addressing:
        made_up = settings.environment != "production" and settings.school_email_pattern
        return cls(
            staff_emails=settings.staff_emails,
            school_email_pattern=settings.school_email_pattern if made_up else None,
            portal_url=settings.portal_url.rstrip("/"),
        )

    def link(self, path: str) -> str:
        return f"{self.portal_url}{path}"

    async def email_of(self, uow: NotificationsUnitOfWork, recipient: Recipient) -> str | None:
        if recipient.role is not None:
            return self.staff_emails.get(recipient.role.value)
        urn, contact = recipient.urn, recipient.contact
        assert urn is not None and contact is not None
        named = (await uow.read_models.contacts_of(urn)).get(contact)
        if named:
            return named[1]
        if self.school_email_pattern:
            return self.school_email_pattern.format(contact=contact.value, urn=urn)
        return None


async def send(
    uow: NotificationsUnitOfWork, addressing: Addressing, *drafts: Draft, now: datetime
) -> int:
    """Keep each draft for delivery (from `now`) unless its occasion already has a message for
    that recipient; how many are new."""
    new = 0
    for draft in drafts:
        email = await addressing.email_of(uow, draft.recipient)
        new += await uow.messages.add(draft, email=email, now=now)
    return new
