"""Publishing a process's events as their transaction commits, not on the relay's next turn.

The outbox row is committed first, as always. The process that committed it then sends it to
JetStream straight away, from the task that committed, and marks it sent later, together with
the others acknowledged meanwhile. Under load the relay's turn (read the outbox, publish, await
the acks, mark the rows sent) waited its turn on a busy event loop several times over, and an
order's event reached NATS 50–200 ms after its 201 at the 99th percentile; sent at commit, in
10–40 ms.

The relay stays the safety net: whatever JetStream has not acknowledged (NATS away, a refusal,
the process killed) is still unsent in the outbox, and the relay publishes it. While the relay
has such rows to publish, publishing at commit stands down, so that events still go out oldest
first; the relay's first turn that finds nothing waiting takes it up again.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from shared import metrics
from shared.db import Sessions
from shared.messaging.relay import Publish, send_event
from shared.messaging.tables import MessagingTables

log = logging.getLogger(__name__)

Row = Mapping[str, Any]  # an outbox row: event_id, subject, body, traceparent


class PublishAtCommit:
    def __init__(
        self,
        *,
        sessions: Sessions,
        tables: MessagingTables,
        publish: Publish,
        connected: Callable[[], bool],
        wake_relay: Callable[[], None],
        mark_every_seconds: float = 0.05,
        publish_timeout: float = 5.0,
    ) -> None:
        self._sessions = sessions
        self._tables = tables
        self._publish = publish
        self._connected = connected
        self._wake_relay = wake_relay
        self._mark_every = mark_every_seconds
        self._publish_timeout = publish_timeout
        self._tracer = trace.get_tracer(__name__)
        self._armed = False  # by the relay, when it has nothing waiting
        self._declined = 0  # commits left to the relay: arming waits for it to publish them
        self._in_flight: set[str] = set()  # sent, not yet marked: the relay leaves them alone
        self._acknowledged: list[str] = []
        self._to_mark = asyncio.Event()
        self._acks: set[asyncio.Future[object]] = set()

    async def committed(self, rows: Sequence[Row]) -> bool:
        """Send what a transaction just committed; False if it is left to the relay."""
        if not self._armed or not self._connected():
            self._declined += 1
            return False
        loop = asyncio.get_running_loop()
        for row in rows:
            try:
                ack = asyncio.ensure_future(
                    await send_event(
                        self._publish,
                        self._tracer,
                        event_id=row["event_id"],
                        subject=row["subject"],
                        body=row["body"],
                        traceparent=row["traceparent"],
                    )
                )
            except Exception as error:  # the rest go out with the relay, in order
                log.warning("publishing event %s at commit failed: %r", row["event_id"], error)
                self._stand_down()
                return False
            self._in_flight.add(row["event_id"])
            self._acks.add(ack)
            timer = loop.call_later(self._publish_timeout, ack.cancel)
            ack.add_done_callback(functools.partial(self._answered, row, timer))
        return True

    @property
    def armed(self) -> bool:
        """Whether this process's commits publish their own events now."""
        return self._armed

    def declined(self) -> int:
        return self._declined

    def arm(self, *, declined: int) -> None:
        """The relay found nothing waiting in a turn it began after `declined` commits had
        been left to it: publishing at commit keeps the order from now on."""
        if declined == self._declined:
            self._armed = True

    def in_flight(self, event_id: str) -> bool:
        return event_id in self._in_flight

    async def mark_forever(self) -> None:
        """Mark what JetStream acknowledged, every `mark_every_seconds` at most."""
        try:
            while True:
                await self._to_mark.wait()
                await asyncio.sleep(self._mark_every)
                await self.mark_acknowledged()
        finally:  # the relay stops: what was acknowledged is marked, the rest left to the next
            self._armed = False
            await asyncio.shield(self.mark_acknowledged())

    async def mark_acknowledged(self) -> None:
        self._to_mark.clear()
        ids, self._acknowledged = self._acknowledged, []
        if not ids:
            return
        try:
            async with self._sessions() as session:
                await session.execute(
                    self._tables.mark_sent, {"ids": ids, "now": datetime.now(UTC)}
                )
                await session.commit()
        except Exception:  # the database away: the relay publishes them again (a duplicate)
            log.exception("marking %d events sent failed", len(ids))
        self._in_flight.difference_update(ids)

    def _answered(self, row: Row, timer: asyncio.TimerHandle, done: asyncio.Future[object]) -> None:
        timer.cancel()
        self._acks.discard(done)
        if done.cancelled() or done.exception() is not None:
            failure = "no answer" if done.cancelled() else repr(done.exception())
            log.warning(
                "event %s not acknowledged (%s); left to the relay", row["event_id"], failure
            )
            self._in_flight.discard(row["event_id"])
            self._stand_down()
            return
        metrics.events_published(row["subject"])
        self._acknowledged.append(row["event_id"])
        self._to_mark.set()

    def _stand_down(self) -> None:
        self._armed = False
        self._declined += 1
        self._wake_relay()
