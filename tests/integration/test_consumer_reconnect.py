"""A worker's consumers wait long on the server for the next event (free while idle). A NATS
server that restarts forgets those waiting requests: when the worker's connection comes back,
its consumers ask again at once, so an event published then is applied without waiting out the
old request's time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from services import registry
from shared.messaging.streams import ensure_streams
from shared.service import Service
from tests.support.databases import DatabaseFactory
from tests.support.events import invoice_raised, publish_raw
from tests.support.nats_server import NatsServer
from tests.support.platform import eventually


@pytest.fixture
async def own_nats() -> AsyncIterator[NatsServer]:
    server = NatsServer().start()
    yield server
    server.remove()


@pytest.fixture
async def ledger(sqlite_databases: DatabaseFactory, own_nats: NatsServer) -> AsyncIterator[Any]:
    service = registry.service(
        "ledger",
        database_url=await sqlite_databases.new("ledger"),
        nats_url=own_nats.url,
        environment="test",
        consumer_idle_fetch_seconds=120,  # far longer than the test may take
    )
    await service.migrate()
    await ensure_streams(own_nats.url)
    yield service
    await service.engine.dispose()


async def test_after_nats_restarts_the_consumers_ask_again_at_once(
    ledger: Service[Any], own_nats: NatsServer
) -> None:
    worker = ledger.worker()
    await worker.start()
    try:
        await asyncio.sleep(1.0)  # every consumer bound and waiting on the server
        own_nats.stop()
        own_nats.start()
        await asyncio.sleep(3.0)  # the worker reconnects (it retries every second)

        envelope = invoice_raised()
        published = time.monotonic()
        assert await publish_raw(own_nats.url, envelope, msg_id=str(envelope.event_id))
        await eventually(lambda: _applied(ledger, str(envelope.event_id)), timeout=20)
        assert time.monotonic() - published < 10
    finally:
        await worker.stop()


async def _applied(service: Service[Any], event_id: str) -> bool:
    inbox = service.definition.tables.inbox
    async with service.sessions() as session:
        found = await session.scalar(select(inbox.c.event_id).where(inbox.c.event_id == event_id))
    return found is not None
