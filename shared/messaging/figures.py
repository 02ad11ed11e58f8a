"""The messaging figures that are read, not counted: read at each scrape of /metrics.

How many outbox rows wait and how old the oldest is, and how many events are parked, come from
the service's own tables; how far each of its durable consumers lags comes from JetStream. A
figure that cannot be read (the database or NATS is down) keeps its last value, which would look
like a quiet platform: the failure is logged, and `messaging_figures_unreadable` says which
source could not be read until it can again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from shared import metrics
from shared.clock import in_utc
from shared.db import Sessions, read_session
from shared.messaging.connection import connect_once
from shared.messaging.streams import PRODUCERS
from shared.messaging.tables import MessagingTables

log = logging.getLogger(__name__)


async def read_tables(service: str, sessions: Sessions, tables: MessagingTables) -> None:
    outbox = tables.outbox
    async with read_session(sessions) as session:
        waiting, oldest = (
            await session.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.sent_at.is_(None)
                )
            )
        ).one()
        parked = await session.scalar(select(func.count()).select_from(tables.dead_letters))
    metrics.OUTBOX_WAITING.labels(service).set(waiting)
    metrics.OUTBOX_OLDEST_AGE.labels(service).set(_age_seconds(oldest))
    # Read, not counted: a counter of parkings starts again at each restart, and an alert on
    # its increase falls silent while the events it announced still wait.
    metrics.DEAD_LETTERS.labels(service).set(parked or 0)


async def read_consumers(service: str, nats_url: str, *, timeout: float = 2.0) -> None:
    """Pending and ack-pending of every durable consumer the service holds on any stream
    (their names begin `<service>--`, see `shared.messaging.consumer.durable_name`); a consumer
    deleted since the last scrape no longer shows."""
    connection = await connect_once(nats_url, timeout=timeout)
    try:
        jetstream = connection.jetstream(timeout=timeout)
        lags: dict[tuple[str, str], metrics.ConsumerLag] = {}
        for stream in (producer.upper() for producer in PRODUCERS):
            try:
                consumers = await jetstream.consumers_info(stream)
            except NotFoundError:
                continue  # no worker has created that stream yet
            for info in consumers:
                if info.name.startswith(f"{service}--"):
                    lags[stream, info.name] = metrics.ConsumerLag(
                        pending=info.num_pending or 0, ack_pending=info.num_ack_pending or 0
                    )
    finally:
        await connection.close()
    metrics.consumers_lag(service, lags)


async def read_messaging_figures(
    service: str,
    *,
    sessions: Sessions,
    tables: MessagingTables,
    nats_url: str,
) -> None:
    """Both kinds of figure, each independently of the other's failure."""
    readings = await asyncio.gather(
        read_tables(service, sessions, tables),
        read_consumers(service, nats_url),
        return_exceptions=True,
    )
    for source, outcome in zip(("database", "nats"), readings, strict=True):
        unreadable = isinstance(outcome, Exception)
        metrics.FIGURES_UNREADABLE.labels(service, source).set(int(unreadable))
        if unreadable:
            log.warning("%s: could not read the figures from its %s: %r", service, source, outcome)


def _age_seconds(created_at: datetime | None) -> float:
    if created_at is None:
        return 0.0
    return max((datetime.now(UTC) - in_utc(created_at)).total_seconds(), 0.0)
