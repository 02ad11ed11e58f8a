"""Whether the events that requests made reached every consumer: an input an API takes may yet
make an event NATS refuses (too large, no stream for its subject), which stays in its outbox,
or one a consumer cannot apply, which it parks in its dead-letter table after its last
delivery. The fuzz tests ask after their requests, once the platform is quiet."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import func, select

from shared.db import Sessions, read_session
from shared.messaging.alarms import OUTBOX_ALARM_ATTEMPTS
from shared.messaging.connection import connect_once
from shared.messaging.streams import PRODUCERS
from shared.messaging.tables import MessagingTables
from shared.service import Service
from tests.support.platform import Platform

# A platform whose consumers give up on an event within seconds, not the minute and more of the
# default backoffs: a consumer that cannot apply an event parks it while the test waits.
QUICK_TO_PARK: dict[str, Any] = {
    "consumer_backoff_seconds": [0.1, 0.3, 0.6],
    "consumer_max_deliveries": 4,
}


async def unsent_events(sessions: Sessions, tables: MessagingTables) -> list[str]:
    """Each event its outbox holds unsent, with why NATS refused it (if it did)."""
    outbox = tables.outbox
    async with read_session(sessions) as session:
        unsent = await session.execute(
            select(outbox.c.subject, outbox.c.event_id, outbox.c.last_error)
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.position)
        )
        return [f"{subject} {event_id}: {error}" for subject, event_id, error in unsent]


async def dead_letters(service: Service[Any]) -> list[Any]:
    """The rows of the service's dead-letter table: the events its consumers parked."""
    async with service.sessions() as session:
        return list((await session.execute(select(service.definition.tables.dead_letters))).all())


async def undelivered_events(platform: Platform, *, timeout: float = 30.0) -> list[str]:
    """Once the platform is quiet, every event an outbox could not publish and every one a
    consumer parked, each named with its service and its error. A platform still busy after
    `timeout` seconds is reported by what it is still doing."""
    try:
        await _quiet(platform, timeout=timeout)
    except TimeoutError as still_busy:
        return [str(still_busy)]
    found = []
    for name, service in platform.services.items():
        tables = service.definition.tables
        found += [
            f"{name} outbox: {event}" for event in await unsent_events(service.sessions, tables)
        ]
        found += [
            f"{name} parked {row.subject} {row.event_id} for {row.consumer} after "
            f"{row.deliveries} deliveries: {row.error}"
            for row in await dead_letters(service)
        ]
    return found


async def _quiet(platform: Platform, *, timeout: float) -> None:
    """Until nothing moves twice in a row: no outbox row is waiting to be published (one NATS
    refused is set aside after a few attempts) and no consumer has an event pending or
    unacknowledged. The consumers are read before the outboxes: an event a consumer applies
    records the events it causes before it is acknowledged."""
    deadline = time.monotonic() + timeout
    calm, moving = 0, dict[str, Any]()
    while calm < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the platform was still busy after {timeout:.0f} s: {moving}")
        await asyncio.sleep(0.1)
        moving = await _consumers_moving(platform.nats_url) | await _outboxes_moving(platform)
        calm = 0 if moving else calm + 1


async def _consumers_moving(nats_url: str) -> dict[str, Any]:
    connection = await connect_once(nats_url)
    try:
        jetstream = connection.jetstream()
        return {
            info.name: (info.num_pending, info.num_ack_pending)
            for producer in PRODUCERS
            for info in await jetstream.consumers_info(producer.upper())
            if info.num_pending or info.num_ack_pending
        }
    finally:
        await connection.close()


async def _outboxes_moving(platform: Platform) -> dict[str, Any]:
    moving = {}
    for name, service in platform.services.items():
        outbox = service.definition.tables.outbox
        async with read_session(service.sessions) as session:
            waiting = await session.scalar(
                select(func.count()).where(
                    outbox.c.sent_at.is_(None), outbox.c.attempts < OUTBOX_ALARM_ATTEMPTS
                )
            )
        if waiting:
            moving[f"{name} outbox"] = waiting
    return moving
