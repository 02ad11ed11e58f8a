"""A message to one recipient: what it says, why it was sent, and how its delivery went.

Delivery is retried with a growing wait while the mail service is out or busy (a message is never
dropped for that); a refusal that retrying cannot cure (a bad address, a rejected template) stops
it as *failed*, for an administrator to see and send again. An error that is neither (a fault of
our own in making the mail, an answer the mail service's adapter does not understand) may pass,
or may not: it is retried the same way, but only a few times before the message is failed too.
One not yet sent whose news changed meanwhile (its order cancelled, its offer answered, its
invoice paid, its case moved on) is *withdrawn*: it would say what is no longer so."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from hashlib import sha256
from uuid import UUID

from services.notifications.domain.recipients import Recipient


class Status(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENT = "sent"
    FAILED = "failed"  # refused for good: an administrator must look
    WITHDRAWN = "withdrawn"  # no longer true before it went: never sent, nor shown its reader


UNSENT = (Status.PENDING, Status.FAILED)  # what a withdrawal stops


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class Draft:
    """A message decided on, not yet stored: `key` names the occasion (one per invoice and
    reminder stage, say), so that the same occasion never makes a second message (unless its
    first was withdrawn unsent: then it is drafted again with what is true now)."""

    key: str
    recipient: Recipient
    template: str
    subject: str
    body: str
    link: str
    cause_event_id: UUID | None = None
    attachments: tuple[Attachment, ...] = field(default=())


def digest_of(names: Iterable[str]) -> str:
    """A short name for these things together, whatever their order: for an occasion named by
    what it tells of, within the length of a message's key."""
    return sha256(",".join(sorted(names)).encode()).hexdigest()[:16]


class TemporaryFailure(Exception):
    """The mail service is out, busy or timed out: try again later."""


class PermanentFailure(Exception):
    """The mail service refused the message for a reason retrying cannot cure."""


UNEXPECTED_ERRORS_TRIED = 5  # then the message is failed


def given_up(unexpected_errors: int) -> bool:
    """Whether a message whose delivery failed unexpectedly this many times is tried no more."""
    return unexpected_errors >= UNEXPECTED_ERRORS_TRIED


def next_attempt(*, attempts: int, now: datetime, backoff_seconds: tuple[float, ...]) -> datetime:
    """When to try again after `attempts` failed tries: each wait from the list in turn, then
    the last one again and again."""
    wait = backoff_seconds[min(attempts, len(backoff_seconds)) - 1]
    return now + timedelta(seconds=wait)
