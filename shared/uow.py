"""A unit of work: one database transaction that holds a service's state change, the events it
records (outbox), the events it has applied (inbox) and who made the change (audit), committed
together or not at all."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import ExitStack, asynccontextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.audit import AuditEntry, current_actor, entry_for
from shared.correlation import current_correlation_id, current_correlation_id_or_none
from shared.db import Sessions, reading_only
from shared.errors import TooLarge
from shared.events.base import Envelope, Event
from shared.messaging.tables import AUDIT_TEXT_LENGTHS, MessagingTables
from shared.telemetry import current_traceparent
from shared.upserts import dialect_of

log = logging.getLogger(__name__)

MAX_EVENT_BYTES = 900_000
"""NATS refuses a message over 1 MB (its max_payload); the margin leaves room for the headers.
An event over this is refused when it is recorded, so it can never sit at the head of the
outbox holding back every later event of the service."""


class UnitOfWork:
    def __init__(
        self,
        sessions: Sessions,
        *,
        producer: str,
        tables: MessagingTables,
        events_recorded: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = sessions
        self._producer = producer
        self._tables = tables
        self._events_recorded = events_recorded
        self._recorded: list[Envelope[Event]] = []
        self._audited: list[dict[str, object]] = []
        self._undos: list[Callable[[], Awaitable[object]]] = []
        self._reading = False
        self._mode = ExitStack()  # the reading mode, held from enter to exit
        self.session: AsyncConnection

    def reading(self) -> Self:
        """This unit of work only reads (a view's): on SQLite it takes no write lock, so it
        never waits for a writer; committing it is a mistake."""
        self._reading = True
        return self

    @property
    def tables(self) -> MessagingTables:
        return self._tables

    @asynccontextmanager
    async def first_look(self) -> AsyncIterator[None]:
        """Reads taken before this unit of work's transaction begins, in a read-only
        transaction of their own that ends with the block: no connection and no lock is held
        while an outside party (Stripe, say) is asked next. The transaction proper begins at the
        next statement and reads again what it relies on. If it has already begun, the reads
        are simply part of it."""
        if self.session.sync_connection is not None:
            yield
            return
        with reading_only():
            try:
                yield
            finally:
                await self.session.close()
                self.session = self._sessions()

    async def __aenter__(self) -> Self:
        self._mode = ExitStack()
        self._mode.enter_context(reading_only(self._reading))
        self.session = self._sessions()
        self._recorded = []
        self._audited = []
        self._undos = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.session.close()  # rolls back what was not committed
        finally:
            self._mode.close()
        undos, self._undos = self._undos, []
        for undo in reversed(undos):  # not committed: what was done outside is taken back
            try:
                await undo()
            except Exception:
                log.exception("undoing what an uncommitted transaction did outside failed")

    def undo_unless_committed(self, undo: Callable[[], Awaitable[object]]) -> None:
        """Something this transaction did outside the database (a card payment asked of
        Stripe, say) is taken back by `undo` if the transaction ends without committing: its
        handler raised after it, or the commit failed."""
        self._undos.append(undo)

    def record(self, event: Event, *, event_id: UUID | None = None, summary: str = "") -> None:
        """Queue an event to leave with this transaction's commit. It carries the correlation and
        trace of the moment it was recorded: a batch of events commits once for many causes. An
        event produced in answer to another names its id (`caused_event_id`), so that a replay
        re-produces that id. The change it reports goes into the audit trail (with `summary`)."""
        self.record_envelope(self.envelope(event, event_id=event_id), summary=summary)

    def envelope(self, event: Event, *, event_id: UUID | None = None) -> Envelope[Event]:
        """The envelope `record` would queue now, with this moment's correlation and trace: a
        unit of work that knows only at commit whether to send it makes it now, records it then."""
        return Envelope.of(
            event,
            event_id=event_id,
            producer=self._producer,
            correlation_id=current_correlation_id(),
            traceparent=current_traceparent(),
        )

    def record_envelope(self, envelope: Envelope[Event], *, summary: str = "") -> None:
        self._recorded.append(envelope)
        self._audit_row(
            entry_for(envelope.payload, summary),
            event_id=str(envelope.event_id),
            correlation_id=envelope.correlation_id,
        )

    def audit(self, action: str, *, object_type: str, object_id: object, summary: str = "") -> None:
        """Add a change that sends no event to the audit trail of this transaction (a change
        that records an event is audited by `record`). `action` reads `<type>.<verb>`."""
        self._audit_row(
            AuditEntry(action, object_type, str(object_id), summary),
            event_id=None,
            correlation_id=current_correlation_id_or_none(),
        )

    def _audit_row(
        self, entry: AuditEntry, *, event_id: str | None, correlation_id: str | None
    ) -> None:
        actor = current_actor()
        row = {
            "actor": actor.subject,
            "role": actor.role,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "summary": entry.summary,
            "correlation_id": correlation_id,
            "event_id": event_id,
            "cause_event_id": actor.cause_event_id,
        }
        # A token's subject or a caller's correlation id may be longer than the column: the
        # audit keeps what fits rather than refuse the change it records.
        clipped = {
            name: value[: AUDIT_TEXT_LENGTHS[name]] if value else value
            for name, value in row.items()
        }
        self._audited.append({"at": _now(), **clipped})

    async def commit(self) -> list[Envelope[Event]]:
        if self._reading:
            raise RuntimeError("a reading unit of work commits nothing")
        envelopes = self._recorded
        if envelopes:
            await self.session.execute(
                self._tables.record,
                [
                    {
                        "event_id": str(envelope.event_id),
                        "subject": envelope.type,
                        "body": _publishable(envelope),
                        "traceparent": envelope.traceparent,
                        "created_at": envelope.occurred_at,
                    }
                    for envelope in envelopes
                ],
            )
        if self._audited:
            await self.session.execute(self._tables.record_audit, self._audited)
        await self.session.commit()
        self._recorded = []
        self._audited = []
        self._undos = []
        if envelopes:
            self._events_recorded()  # wakes this process's relay
        return envelopes

    async def has_applied(self, event_id: UUID) -> bool:
        found = await self.session.execute(self._tables.applied, {"ids": [str(event_id)]})
        return found.first() is not None

    async def mark_applied(self, *envelopes: Envelope[Event]) -> None:
        await self.session.execute(self._tables.mark_applied, _inbox_rows(envelopes))

    async def mark_first_applied(
        self, envelopes: Sequence[Envelope[Event]]
    ) -> list[Envelope[Event]]:
        """Mark these events applied in the inbox; those it did not hold before, in order, each
        once (the same event can arrive twice in one batch)."""
        first: dict[str, Envelope[Event]] = {}
        for envelope in envelopes:
            first.setdefault(str(envelope.event_id), envelope)
        rows = _inbox_rows(list(first.values()))
        if not rows:
            return []
        dialect = dialect_of(self.session)
        inserted = set(
            (await self.session.execute(self._tables.mark_first_applied(dialect), rows)).scalars()
        )
        return [envelope for event_id, envelope in first.items() if event_id in inserted]


def _inbox_rows(envelopes: Sequence[Envelope[Event]]) -> list[dict[str, object]]:
    now = _now()
    return [
        {"event_id": str(envelope.event_id), "subject": envelope.type, "applied_at": now}
        for envelope in envelopes
    ]


def _publishable(envelope: Envelope[Event]) -> str:
    body = envelope.model_dump_json()
    size = len(body.encode())
    if size > MAX_EVENT_BYTES:
        raise TooLarge(
            f"this change would send a {envelope.type} event of {size:,} bytes, over the "
            f"{MAX_EVENT_BYTES:,} the message bus carries: shorten its longest texts"
        )
    return body


def _now() -> datetime:
    return datetime.now(UTC)
