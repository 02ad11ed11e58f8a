"""The outbox relay: publishes committed events to JetStream, oldest first, and marks them sent.

The event id goes out as `Nats-Msg-Id`, so a row published twice (a crash between publish and
marking) is dropped by the stream's duplicate window; consumers' inboxes catch anything older.
When NATS is unreachable the rows simply wait, and the relay tries again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from sqlalchemy import func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.base import stream_of
from shared.messaging.tables import MessagingTables
from shared.telemetry import context_from

log = logging.getLogger(__name__)

Publish = Callable[..., Awaitable[object]]


class OutboxRelay:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        publish: Publish,
        poll_seconds: float = 0.05,
        batch_size: int = 200,
        publish_timeout: float = 2.0,
    ) -> None:
        self._sessions = sessions
        self._outbox = tables.outbox
        self._publish = publish
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._publish_timeout = publish_timeout
        self._tracer = trace.get_tracer(__name__)

    async def run_forever(self) -> None:
        backoff = self._poll_seconds
        while not stopping():
            try:
                sent = await self.relay_once()
                backoff = self._poll_seconds
            except Exception:
                if stopping():
                    # The database driver can turn the stop's cancellation into an error of its
                    # own; retrying it would keep the relay alive for ever.
                    raise asyncio.CancelledError from None
                log.exception("outbox relay failed; the events wait in the outbox")
                sent = 0
                backoff = min(backoff * 2, 5.0)
            if sent < self._batch_size:
                await asyncio.sleep(backoff)

    async def relay_once(self) -> int:
        """Publish one batch of unsent events; returns how many went out."""
        rows = await self._unsent()
        published: list[str] = []
        try:
            for row in rows:
                await self._publish_row(row)
                published.append(row.event_id)
        finally:
            if published:
                await self._mark_sent(published)
        return len(published)

    async def pending(self) -> int:
        async with self._sessions() as session:
            count = await session.scalar(
                select(func.count()).where(self._outbox.c.sent_at.is_(None))
            )
            return int(count or 0)

    async def _unsent(self) -> Sequence[Row[Any, Any, Any, Any]]:
        async with self._sessions() as session:
            result = await session.execute(
                select(
                    self._outbox.c.event_id,
                    self._outbox.c.subject,
                    self._outbox.c.body,
                    self._outbox.c.traceparent,
                )
                .where(self._outbox.c.sent_at.is_(None))
                .order_by(self._outbox.c.position)
                .limit(self._batch_size)
            )
            return result.all()

    async def _publish_row(self, row: Row[Any, Any, Any, Any]) -> None:
        # Continue the trace of the request that recorded the event, not the relay's own.
        with self._tracer.start_as_current_span(
            f"outbox relay {row.subject}", context=context_from(row.traceparent)
        ):
            await self._publish(
                row.body.encode(),
                subject=row.subject,
                stream=stream_of(row.subject),
                headers={"Nats-Msg-Id": row.event_id, "content-type": "application/json"},
                timeout=self._publish_timeout,
            )

    async def _mark_sent(self, event_ids: list[str]) -> None:
        async with self._sessions() as session:
            await session.execute(
                update(self._outbox)
                .where(self._outbox.c.event_id.in_(event_ids))
                .values(sent_at=datetime.now(UTC))
            )
            await session.commit()


def stopping() -> bool:
    """Whether the running task has been asked to stop, whatever became of the cancellation."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
