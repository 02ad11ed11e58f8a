"""Who changed what, when, and from which request: the audit trail every service keeps of its own
aggregates, written by the unit of work in the same transaction as the change.

The actor is carried in a contextvar: the auth dependency (`shared.http.require`) sets it to the
signed-in principal for the rest of the request; a worker applying an event acts as "system",
naming the event it answers; anything else (a scheduled job) is "system" too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from shared.events.base import Event

if TYPE_CHECKING:  # a worker records its changes without loading the JWT library
    from shared.auth import Principal

SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    subject: str
    role: str
    cause_event_id: str | None = None  # a worker's change: the event it answers


_SYSTEM = Actor(SYSTEM, SYSTEM)
_actor: ContextVar[Actor | None] = ContextVar("actor", default=None)


def current_actor() -> Actor:
    return _actor.get() or _SYSTEM


def act_for(principal: Principal) -> None:
    """The rest of this request acts for `principal` (within `one_request`)."""
    _actor.set(Actor(principal.subject, principal.role.value))


@contextmanager
def one_request() -> Iterator[None]:
    """Whoever a request acts for stops acting with its answer: a request served in its
    caller's task (an in-process client, a job after it) must not lend the caller its user."""
    token = _actor.set(None)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def answering(event_id: UUID) -> Iterator[None]:
    """A worker's changes while it applies an event: the system's, caused by that event."""
    token = _actor.set(Actor(SYSTEM, SYSTEM, cause_event_id=str(event_id)))
    try:
        yield
    finally:
        _actor.reset(token)


@dataclass(frozen=True)
class AuditEntry:
    """What changed: `action` reads `<object type>.<past-tense verb>` (`contract.varied`)."""

    action: str
    object_type: str
    object_id: str
    summary: str = ""


def entry_for(event: Event, summary: str = "") -> AuditEntry:
    """An event says what changed: its subject names the aggregate and the verb, and its
    `<aggregate>_id` (or the school's `urn`) which one."""
    _producer, aggregate, verb, _version = event.subject.split(".")
    object_id = (
        getattr(event, f"{aggregate}_id", None) or getattr(event, "urn", None) or _first_id(event)
    )
    return AuditEntry(f"{aggregate}.{verb}", aggregate, str(object_id or ""), summary)


def _first_id(event: Event) -> object:
    # Read field by field: dumping the whole event (its lines, its postings) to find one id
    # would cost more than the rest of writing its audit row.
    return next(
        (
            value
            for name in type(event).model_fields
            if name.endswith("_id") and (value := getattr(event, name))
        ),
        None,
    )
