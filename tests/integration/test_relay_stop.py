"""The outbox relay stops when told to, even when the stop's cancellation comes back from a driver
as an error of its own; its unsent events stay in the outbox for the next relay."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert

from services import registry
from shared.messaging.relay import OutboxRelay
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY


@pytest.mark.timeout(60)  # a relay that never stops would otherwise hang the run's teardown
async def test_a_stop_the_driver_turns_into_an_error_still_stops_the_relay(
    databases: DatabaseFactory, nats_url: str
) -> None:
    service = registry.service(
        "orders", database_url=await databases.new("orders"), nats_url=nats_url
    )
    await service.migrate()
    event = school_registered(ABBOTS_LANGLEY)
    async with service.sessions() as session:
        await session.execute(
            insert(service.definition.tables.outbox).values(
                event_id=str(event.event_id),
                subject=event.type,
                body=event.model_dump_json(),
                created_at=datetime.now(UTC),
            )
        )
        await session.commit()

    publishing = asyncio.Event()

    async def publish_on_a_stalled_connection(*args: Any, **kwargs: Any) -> Awaitable[object]:
        publishing.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise ConnectionError("connection was closed in the middle of operation") from None
        raise AssertionError("nothing sets the event it waits on")

    relay = OutboxRelay(
        sessions=service.sessions,
        tables=service.definition.tables,
        publish=publish_on_a_stalled_connection,
        poll_seconds=0.01,
    )
    running = asyncio.create_task(relay.run_forever())
    await asyncio.wait_for(publishing.wait(), timeout=10)
    running.cancel()
    done, _ = await asyncio.wait({running}, timeout=5)

    assert done == {running}, "the relay went on after it was told to stop"
    assert running.cancelled()
    assert await relay.pending() == 1  # nothing lost: the next relay sends it
    await service.engine.dispose()
