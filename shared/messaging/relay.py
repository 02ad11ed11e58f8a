"""The outbox relay: publishes committed events to JetStream, oldest first, and marks them sent.

A batch goes out with every PubAck in flight at once, then the relay waits for the acks. It is
woken by its own process's commits (`Wakeup`), and looks on its own, slowly, for rows that
another process committed. The event id goes out as `Nats-Msg-Id`, so a row published twice (a
crash between publish and marking, or two processes' relays) is dropped by the stream's
duplicate window; consumers' inboxes catch anything older. When NATS is unreachable the rows
simply wait. A row NATS refuses (too large, no stream for it) is counted, reported, and after a
few refusals set aside, so it cannot hold back the rows behind it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import nats.errors
import nats.js.errors
from nats.js.api import PubAck
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Row

from shared import metrics
from shared.db import Sessions, read_session
from shared.events.base import producer_of, stream_of
from shared.messaging.alarms import OUTBOX_ALARM_ATTEMPTS
from shared.messaging.streams import PRODUCERS
from shared.messaging.tables import MessagingTables
from shared.telemetry import context_from, current_traceparent

log = logging.getLogger(__name__)

# Sends one message and returns, without waiting, what resolves to its PubAck.
Publish = Callable[..., Awaitable[Awaitable[object]]]

# NATS's answers about one message, not about the connection: retrying the others is right.
REFUSALS = (nats.errors.MaxPayloadError, nats.js.errors.NoStreamResponseError)

SET_ASIDE_RETRY_SECONDS = 60.0

# A row younger than this (or than one look's interval, if shorter) is most likely still being
# published by the process that committed it: a relay's slow look, not rung by a commit of its
# own, leaves it to that process rather than publish it again and write its mark into the
# other process's database (JetStream would drop the copy, but the write still waits its turn).
SETTLE_SECONDS = 2.0


class Wakeup:
    """Rung by a commit that recorded events, so that this process's relay publishes at once.

    A ring resolves the waiting relay's own future: its task resumes on the loop's next turn.
    `asyncio.wait_for` on an `asyncio.Event` took three turns, and made a task for every wait;
    on a busy API process a turn runs every request step that is ready meanwhile."""

    def __init__(self) -> None:
        self._rung = False
        self._waiters: set[asyncio.Future[None]] = set()

    def ring(self) -> None:
        self._rung = True
        for waiter in self._waiters:
            _release(waiter)

    async def wait(self, seconds: float) -> bool:
        """Until rung (or at once, if rung since the last wait), or for `seconds` at most;
        whether it was rung."""
        if not self._rung:
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[None] = loop.create_future()
            timer = loop.call_later(seconds, _release, waiter)
            self._waiters.add(waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self._waiters.discard(waiter)
        rung, self._rung = self._rung, False
        return rung


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class OutboxRelay:
    def __init__(
        self,
        *,
        sessions: Sessions,
        tables: MessagingTables,
        publish: Publish,
        wakeup: Wakeup | None = None,
        poll_seconds: float = 1.0,
        batch_size: int = 256,
        publish_timeout: float = 5.0,
        settle_seconds: float | None = None,  # by default SETTLE_SECONDS, at most poll_seconds
    ) -> None:
        self._sessions = sessions
        self._outbox = tables.outbox
        self._publish = publish
        self._wakeup = wakeup or Wakeup()
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._publish_timeout = publish_timeout
        if settle_seconds is None:
            settle_seconds = min(SETTLE_SECONDS, poll_seconds)
        self._settle = timedelta(seconds=settle_seconds)
        self._tracer = trace.get_tracer(__name__)
        self._set_aside_due = 0.0
        self._looking = False  # this turn is the slow look, not a commit's ring
        # Built once: building a statement costs SQLAlchemy more than SQLite takes to run it.
        outbox = self._outbox
        self._unsent_all = (
            select(
                outbox.c.event_id,
                outbox.c.subject,
                outbox.c.body,
                outbox.c.traceparent,
                outbox.c.attempts,
            )
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.position)
            .limit(batch_size)
        )
        self._unsent_not_set_aside = self._unsent_all.where(
            outbox.c.attempts < OUTBOX_ALARM_ATTEMPTS
        )
        settled = outbox.c.created_at < bindparam("settled_before")
        self._settled = {
            True: self._unsent_all.where(settled),
            False: self._unsent_not_set_aside.where(settled),
        }
        self._sent = (
            update(outbox)
            .where(outbox.c.event_id.in_(bindparam("ids", expanding=True)))
            .values(sent_at=bindparam("now"))
        )

    async def run_forever(self) -> None:
        failures = 0
        while not stopping():
            try:
                sent = await self.relay_once()
                failures = 0
            except Exception:
                if stopping():
                    # The database driver can turn the stop's cancellation into an error of its
                    # own; retrying it would keep the relay alive for ever.
                    raise asyncio.CancelledError from None
                log.exception("outbox relay failed; the events wait in the outbox")
                failures += 1
                await asyncio.sleep(min(0.1 * 2**failures, 5.0))
                continue
            if sent < self._batch_size:
                self._looking = not await self._wakeup.wait(self._poll_seconds)

    async def relay_once(self) -> int:
        """Publish one batch of unsent events; returns how many went out."""
        retry_set_aside = time.monotonic() >= self._set_aside_due
        rows = await self._unsent(include_set_aside=retry_set_aside)
        if retry_set_aside:
            self._set_aside_due = time.monotonic() + SET_ASIDE_RETRY_SECONDS
        if not rows:
            return 0
        sent, refused, unanswered = await self._publish_all(rows)
        if sent:
            metrics.relay_batch(rows[0].subject, len(sent))
            await self._mark_sent(sent)
        if refused:
            await self._count_refusals(refused)
        if unanswered:
            raise TimeoutError(
                f"{unanswered} events not acknowledged by NATS within {self._publish_timeout}s"
            )
        return len(sent)

    async def pending(self) -> int:
        async with read_session(self._sessions) as session:
            count = await session.scalar(
                select(func.count()).where(self._outbox.c.sent_at.is_(None))
            )
            return int(count or 0)

    async def _unsent(self, *, include_set_aside: bool) -> Sequence[Row[Any, Any, Any, Any, Any]]:
        """The oldest unsent rows; on a slow look, only those old enough to have been left."""
        async with read_session(self._sessions) as session:
            if self._looking:
                settled_before = datetime.now(UTC) - self._settle
                query = self._settled[include_set_aside]
                return (await session.execute(query, {"settled_before": settled_before})).all()
            query = self._unsent_all if include_set_aside else self._unsent_not_set_aside
            return (await session.execute(query)).all()

    async def _publish_all(
        self, rows: Sequence[Row[Any, Any, Any, Any, Any]]
    ) -> tuple[list[str], dict[str, str], int]:
        """Send every row in order, then wait for the acks: (sent, refused, unanswered)."""
        subjects = {row.event_id: row.subject for row in rows}
        acks: dict[asyncio.Future[object], str] = {}
        refused: dict[str, str] = {}
        for row in rows:
            try:
                acks[asyncio.ensure_future(await self._send(row))] = row.event_id
            except REFUSALS as error:
                if _refusal(error, row.subject):
                    refused[row.event_id] = repr(error)
                else:
                    log.warning("publishing event %s failed: %r", row.event_id, error)
        if not acks:
            return [], refused, 0
        done, unanswered = await asyncio.wait(acks, timeout=self._publish_timeout)
        for ack in unanswered:
            ack.cancel()
        sent = []
        for ack in done:
            failure = ack.exception()
            if failure is None:
                sent.append(acks[ack])
                if not _duplicate(ack.result()):
                    metrics.events_published(subjects[acks[ack]])
            elif _refusal(failure, subjects[acks[ack]]):
                refused[acks[ack]] = repr(failure)
            else:
                log.warning("publishing event %s failed: %r", acks[ack], failure)
        return sent, refused, len(unanswered)

    async def _send(self, row: Row[Any, Any, Any, Any, Any]) -> Awaitable[object]:
        # Continue the trace of the request that recorded the event, not the relay's own.
        with self._tracer.start_as_current_span(
            f"{row.subject} publish", context=context_from(row.traceparent), kind=SpanKind.PRODUCER
        ):
            headers = {"Nats-Msg-Id": row.event_id, "content-type": "application/json"}
            traceparent = current_traceparent()
            if traceparent:
                headers["traceparent"] = traceparent
            return await self._publish(
                row.body.encode(),
                subject=row.subject,
                stream=stream_of(row.subject),
                headers=headers,
            )

    async def _mark_sent(self, event_ids: list[str]) -> None:
        async with self._sessions() as session:
            await session.execute(self._sent, {"ids": event_ids, "now": datetime.now(UTC)})
            await session.commit()

    async def _count_refusals(self, refused: dict[str, str]) -> None:
        outbox = self._outbox
        async with self._sessions() as session:
            for event_id, error in refused.items():
                await session.execute(
                    update(outbox)
                    .where(outbox.c.event_id == event_id)
                    .values(attempts=outbox.c.attempts + 1, last_error=error)
                )
            await session.commit()
        for event_id, error in refused.items():
            log.error("outbox event %s refused by NATS, not published: %s", event_id, error)


def _duplicate(answer: object) -> bool:
    """Whether the stream already held the message (published before, by this relay before it
    could mark the row sent, or by another process's): it dropped this copy."""
    return isinstance(answer, PubAck) and bool(answer.duplicate)


def _refusal(error: BaseException, subject: str) -> bool:
    """A JetStream error about this message; 503 means JetStream itself is away for now, and
    no responders for one of the platform's own streams means that stream is between leaders
    (a cluster node died): both pass, and the row goes out on a later try."""
    if isinstance(error, nats.js.errors.NoStreamResponseError):
        return producer_of(subject) not in PRODUCERS
    return isinstance(error, (*REFUSALS, nats.js.errors.APIError)) and not isinstance(
        error, nats.js.errors.ServiceUnavailableError
    )


def stopping() -> bool:
    """Whether the running task has been asked to stop, whatever became of the cancellation."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
