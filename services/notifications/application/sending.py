"""Deciding to send: each draft kept once for its recipient, addressed from the school's named
contacts or the staff role's mailbox."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.config import Settings
from services.notifications.domain.message import Draft
from services.notifications.domain.recipients import Recipient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Addressing:
    """Where a recipient's email goes."""

    staff_emails: dict[str, str]
    school_email_pattern: str | None  # outside production, for contacts not yet named
    portal_url: str
    trust_emails: dict[str, str] = field(default_factory=dict)
    trust_email_pattern: str | None = None  # outside production, for trusts not listed

    @classmethod
    def of(cls, settings: Settings) -> Addressing:
        production = settings.environment == "production"
        return cls(
            staff_emails=settings.staff_emails,
            school_email_pattern=None if production else settings.school_email_pattern or None,
            portal_url=settings.portal_url.rstrip("/"),
            trust_emails=settings.trust_emails,
            trust_email_pattern=None if production else settings.trust_email_pattern or None,
        )

    def link(self, path: str) -> str:
        return f"{self.portal_url}{path}"

    async def email_of(self, uow: NotificationsUnitOfWork, recipient: Recipient) -> str | None:
        if recipient.role is not None:
            return self.staff_emails.get(recipient.role.value)
        if (trust := recipient.trust_code) is not None:
            if trust in self.trust_emails:
                return self.trust_emails[trust]
            return (
                self.trust_email_pattern.format(trust=trust) if self.trust_email_pattern else None
            )
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


async def send_each(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    *drafts: Draft,
    now: datetime,
    kept: Callable[[Draft], Awaitable[None]] | None = None,
) -> int:
    """As `send`, each draft kept on its own (a savepoint each): one the database refuses is
    logged as an error and left out, and the others are kept all the same. For the calendar's
    reminders, which a later run finds due again; an event's messages go together or not at
    all, the event retried and at last parked. `kept` is done with each new message, in its
    savepoint (to remember what it told, say)."""
    new = 0
    for draft in drafts:
        try:
            async with uow.session.begin_nested():
                added = await send(uow, addressing, draft, now=now)
                if added and kept is not None:
                    await kept(draft)
                new += added
        except Exception:  # whatever it was, the next reminder is not held back by it
            log.exception(
                "reminder %s to %s (%s) not kept: it is tried again on the next run",
                draft.key,
                draft.recipient.key,
                draft.template,
            )
    return new
