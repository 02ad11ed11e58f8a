"""The messages kept: added once per occasion and recipient (again only in place of one withdrawn
unsent), taken in turn for delivery (each row locked by one worker while it claims it; other
workers skip it), read by their recipients."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.adapters.tables import attachments, messages
from services.notifications.domain.message import UNSENT, Attachment, Draft, Status
from services.notifications.domain.recipients import Recipient
from shared.errors import NotFound
from shared.fitting import fitted
from shared.upserts import insert_for


@dataclass(frozen=True)
class StoredMessage:
    id: UUID
    recipient: str
    email: str | None
    template: str
    subject: str
    body: str
    link: str
    cause_event_id: str | None
    created_at: datetime
    status: Status
    attempts: int
    unexpected_errors: int  # of the attempts (domain/message.py)
    sent_at: datetime | None
    outcome: str | None
    read_at: datetime | None


class Messages:
    def __init__(self, session: AsyncConnection) -> None:
        self.session = session

    async def add(self, draft: Draft, *, email: str | None, now: datetime) -> bool:
        """Keep a new message for delivery; False if this occasion already has one for them
        (one withdrawn unsent is replaced: its occasion is told with what is true now).
        A subject longer than its column (one naming a long school or course) is shortened to
        fit: PostgreSQL refuses it whole, and the message with it."""
        message_id = uuid4()
        values = {
            "key": draft.key,
            "recipient": draft.recipient.key,
            "email": email,
            "template": draft.template,
            "subject": fitted(draft.subject, messages.c.subject),
            "body": draft.body,
            "link": draft.link,
            "cause_event_id": str(draft.cause_event_id) if draft.cause_event_id else None,
            "created_at": now,
            "status": Status.PENDING if email else Status.FAILED,
            "attempts": 0,
            "unexpected_errors": 0,
            "next_attempt_at": now if email else None,
            "claim": None,
            "sent_at": None,
            "outcome": None if email else no_address(draft.recipient.key),
            "read_at": None,
        }
        inserted = await self.session.execute(
            insert_for(self.session, messages)
            .values(id=message_id, **values)
            .on_conflict_do_update(
                index_elements=["key", "recipient"],
                set_=values,
                # not while a worker still tries it: it may yet go, and that would be twice
                where=(messages.c.status == Status.WITHDRAWN) & messages.c.claim.is_(None),
            )
            .returning(messages.c.id)
        )
        kept = inserted.scalar()
        if kept is None:
            return False
        if kept != message_id:  # the withdrawn one's, replaced
            await self.session.execute(delete(attachments).where(attachments.c.message_id == kept))
        for attachment in draft.attachments:
            await self.session.execute(
                attachments.insert().values(
                    message_id=kept,
                    filename=attachment.filename,
                    media_type=attachment.media_type,
                    content=attachment.content,
                )
            )
        return True

    async def withdraw(self, keys: Iterable[str], *, why: str) -> int:
        """Withdraw the messages of these occasions not sent yet (waiting to go, or failed for
        an administrator to send again), to whomever: what they say is no longer so; how many.
        One a worker is handing to the mail service at this moment goes if the service takes it
        (`record_outcome`), and is tried no more if not."""
        withdrawn = await self.session.execute(
            update(messages)
            .where(messages.c.key.in_(list(keys)), messages.c.status.in_(UNSENT))
            .values(status=Status.WITHDRAWN, next_attempt_at=None, outcome=why)
        )
        return withdrawn.rowcount

    async def readdress(self, recipient: Recipient, email: str) -> int:
        """Send the messages waiting to go to this recipient to their new address: the person
        named since; how many. (One a worker is handing over at this moment goes where it was
        going, if the mail service takes it; one refused is sent again by an administrator, to
        the address as it is then.)"""
        readdressed = await self.session.execute(
            update(messages)
            .where(messages.c.recipient == recipient.key, messages.c.status == Status.PENDING)
            .values(email=email)
        )
        return readdressed.rowcount

    async def due(self, now: datetime, *, limit: int) -> list[StoredMessage]:
        """Pending messages whose time has come, locked for this transaction; rows another
        worker holds are skipped (PostgreSQL; SQLite has one writer at a time anyway)."""
        found = await self.session.execute(
            select(messages)
            .where(messages.c.status == Status.PENDING, messages.c.next_attempt_at <= now)
            .order_by(messages.c.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_stored(row) for row in found.mappings()]

    async def attachments_of(self, message_id: UUID) -> tuple[Attachment, ...]:
        found = await self.session.execute(
            select(attachments).where(attachments.c.message_id == message_id)
        )
        return tuple(
            Attachment(row.filename, row.content, row.media_type) for row in found.mappings()
        )

    async def update(self, message_id: UUID, **values: Any) -> None:
        await self.session.execute(
            update(messages).where(messages.c.id == message_id).values(**values)
        )

    async def update_claimed(self, message_id: UUID, claim: UUID, /, **values: Any) -> bool:
        """Update it only while this claim holds it; whether it did."""
        return await self._update_claimed(message_id, claim, values)

    async def record_outcome(self, message_id: UUID, claim: UUID, outcome: dict[str, Any]) -> bool:
        """A delivery's outcome, while this claim holds the message; whether it was recorded.
        One withdrawn while it was tried stays withdrawn, unless it went."""
        went = outcome["status"] is Status.SENT
        unless_withdrawn = [] if went else [messages.c.status != Status.WITHDRAWN]
        if await self._update_claimed(
            message_id, claim, {**outcome, "claim": None}, *unless_withdrawn
        ):
            return True
        tried = {"attempts": outcome["attempts"], "claim": None}
        return not went and await self._update_claimed(message_id, claim, tried)

    async def _update_claimed(
        self, message_id: UUID, claim: UUID, values: dict[str, Any], *also: Any
    ) -> bool:
        updated = await self.session.execute(
            update(messages)
            .where(messages.c.id == message_id, messages.c.claim == claim, *also)
            .values(**values)
        )
        return bool(updated.rowcount)

    async def get(self, message_id: UUID) -> StoredMessage:
        found = await self.session.execute(select(messages).where(messages.c.id == message_id))
        row = found.mappings().first()
        if row is None:
            raise NotFound("no such message", field="message_id")
        return _stored(row)

    async def for_recipients(self, prefix: str, *, limit: int) -> list[StoredMessage]:
        """Newest first: those whose recipient key starts with `prefix` (a school's contacts),
        but those withdrawn before they went."""
        found = await self.session.execute(
            select(messages)
            .where(
                messages.c.recipient.startswith(prefix, autoescape=True),
                messages.c.status != Status.WITHDRAWN,
            )
            .order_by(messages.c.created_at.desc())
            .limit(limit)
        )
        return [_stored(row) for row in found.mappings()]

    async def with_status(self, status: Status, *, limit: int) -> list[StoredMessage]:
        found = await self.session.execute(
            select(messages)
            .where(messages.c.status == status)
            .order_by(messages.c.created_at.desc())
            .limit(limit)
        )
        return [_stored(row) for row in found.mappings()]


def no_address(recipient: str) -> str:
    """The outcome of a message that has no address to go to."""
    return f"no email address for {recipient}"


def _stored(row: Any) -> StoredMessage:
    return StoredMessage(
        **{name: row[name] for name in StoredMessage.__dataclass_fields__ if name != "status"},
        status=Status(row["status"]),
    )
