"""The relay publishes at once when its process commits events, and a row NATS refuses is
reported loudly without holding back the events behind it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import insert, select, update

from services import registry
from shared.messaging.connection import JetStreamLink
from shared.messaging.relay import OutboxRelay
from shared.messaging.streams import ensure_streams
from shared.service import Service
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, eventually

ONE_AND_A_HALF_MEGABYTES = "x" * 1_500_000


@pytest.fixture
async def orders(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Service[Any]]:
    service = registry.service(
        "orders",
        database_url=await databases.new("orders"),
        nats_url=nats_url,
        environment="test",
        outbox_poll_seconds=60,  # only a commit of this process wakes the relay in time
    )
    await service.migrate()
    await ensure_streams(nats_url)
    yield service
    await service.engine.dispose()


async def test_a_commit_that_records_events_wakes_the_relay_at_once(
    orders: Service[Any],
) -> None:
    worker = orders.worker()
    await worker.start()
    try:
        await asyncio.sleep(0.5)  # the relay has looked once and now sleeps for a minute
        async with orders.unit_of_work() as uow:
            uow.record(school_registered(ABBOTS_LANGLEY).payload)
            await uow.commit()
        committed = time.monotonic()
        await eventually(lambda: _none_pending(worker.relay), timeout=5)
        assert time.monotonic() - committed < 2
    finally:
        await worker.stop()


async def test_rows_nats_refuses_are_reported_and_hold_back_no_other_event(
    orders: Service[Any], caplog: pytest.LogCaptureFixture
) -> None:
    too_large = await _add_to_outbox(
        orders, "orders.school.registered.v1", ONE_AND_A_HALF_MEGABYTES
    )
    no_stream = await _add_to_outbox(orders, "nowhere.thing.happened.v1", "{}")
    behind_them = school_registered(ABBOTS_LANGLEY)
    await _add_to_outbox(orders, behind_them.type, behind_them.model_dump_json(), behind_them)

    with caplog.at_level(logging.ERROR, logger="shared.messaging.relay"):
        async with _relay_running(orders, poll_seconds=0.05, publish_timeout=2) as relay:
            refusals = await eventually(lambda: _refused_at_least(orders, 3), timeout=20)
            later = school_registered(ASHWELL)
            await _add_to_outbox(orders, later.type, later.model_dump_json(), later)
            await eventually(lambda: _pending_is(relay, 2), timeout=10)  # only the refused wait

    assert set(refusals) == {too_large, no_stream}
    assert "MaxPayloadError" in refusals[too_large]
    assert "NoStreamResponseError" in refusals[no_stream]
    assert too_large in caplog.text and no_stream in caplog.text
    transport = httpx.ASGITransport(app=orders.api())
    async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
        readiness = (await client.get("/readyz")).json()
    assert readiness["status"] == "degraded"
    assert readiness["alarms"] == [
        "2 outbox event(s) refused by NATS: they are not being published"
    ]


async def test_an_event_the_stream_already_holds_is_not_counted_as_published_again(
    orders: Service[Any],
) -> None:
    """A row published again (its relay died before marking it sent, or the API's and the
    worker's relays both took it) is dropped by the stream's duplicate window: one event
    published, not two."""
    event = school_registered(ABBOTS_LANGLEY)
    await _add_to_outbox(orders, event.type, event.model_dump_json(), event)
    published = _sample("events_published_total", producer="orders", subject=event.type)
    async with _relay(orders) as relay:
        assert await relay.relay_once() == 1
        outbox = orders.definition.tables.outbox
        async with orders.sessions() as session:  # as if the relay died before marking it
            await session.execute(update(outbox).values(sent_at=None))
            await session.commit()
        assert await relay.relay_once() == 1  # sent (the stream has it), and marked
        assert await relay.pending() == 0

    assert _sample("events_published_total", producer="orders", subject=event.type) == (
        published + 1
    )


async def test_a_turn_that_sent_nothing_is_not_counted_as_a_batch_sent(
    orders: Service[Any],
) -> None:
    await _add_to_outbox(orders, "nowhere.thing.happened.v1", "{}")  # refused: no stream
    turns = _sample("outbox_relay_batch_events_count", producer="nowhere")
    async with _relay(orders) as relay:
        assert await relay.relay_once() == 0

    assert _sample("outbox_relay_batch_events_count", producer="nowhere") == turns


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@asynccontextmanager
async def _relay(service: Service[Any], **options: Any) -> AsyncIterator[OutboxRelay]:
    """The service's outbox relay, on a NATS connection of its own for the block."""
    link = JetStreamLink(service.settings.nats_url)
    await link.connect()
    try:
        yield OutboxRelay(
            sessions=service.sessions,
            tables=service.definition.tables,
            publish=link.publish,
            **options,
        )
    finally:
        await link.close()


@asynccontextmanager
async def _relay_running(service: Service[Any], **options: Any) -> AsyncIterator[OutboxRelay]:
    """The service's outbox relay, on a NATS connection of its own, running for the block."""
    async with _relay(service, **options) as relay:
        running = asyncio.create_task(relay.run_forever())
        try:
            yield relay
        finally:
            running.cancel()
            await asyncio.wait({running}, timeout=5)


async def _add_to_outbox(service: Service[Any], subject: str, body: str, event: Any = None) -> str:
    event_id = str(event.event_id) if event else f"refused-{subject}"
    async with service.sessions() as session:
        await session.execute(
            insert(service.definition.tables.outbox).values(
                event_id=event_id, subject=subject, body=body, created_at=datetime.now(UTC)
            )
        )
        await session.commit()
    return event_id


async def _refused_at_least(service: Service[Any], attempts: int) -> dict[str, str]:
    outbox = service.definition.tables.outbox
    async with service.sessions() as session:
        rows = (
            await session.execute(
                select(outbox.c.event_id, outbox.c.last_error).where(outbox.c.attempts >= attempts)
            )
        ).all()
    return {event_id: error for event_id, error in rows} if len(rows) == 2 else {}


async def _pending_is(relay: OutboxRelay, count: int) -> bool:
    return await relay.pending() == count


async def _none_pending(relay: OutboxRelay) -> bool:
    return await relay.pending() == 0


async def test_a_platform_stream_between_leaders_holds_its_rows_back_without_refusing_them(
    orders: Service[Any], nats_url: str
) -> None:
    """No responders for one of the platform's own streams is what a cluster answers while the
    stream elects a new leader: the rows wait, uncounted, and go out once it answers again."""
    link = JetStreamLink(nats_url)
    await link.connect()
    await link.jetstream.delete_stream("ORDERS")  # as unanswered as a stream without a leader
    await link.close()
    event = school_registered(ABBOTS_LANGLEY)
    await _add_to_outbox(orders, event.type, event.model_dump_json(), event)
    try:
        async with _relay_running(orders, poll_seconds=0.05, publish_timeout=2) as relay:
            await asyncio.sleep(1.0)  # many tries meanwhile
            assert await relay.pending() == 1
            assert await _refused_at_least(orders, 1) == {}
            outbox = orders.definition.tables.outbox
            async with orders.sessions() as session:
                assert await session.scalar(select(outbox.c.attempts)) == 0

            await ensure_streams(nats_url)  # the stream answers again
            await eventually(lambda: _none_pending(relay), timeout=10)
    finally:
        await ensure_streams(nats_url)


async def test_the_slow_poll_finds_a_row_another_process_committed(orders: Service[Any]) -> None:
    """No commit of this process rings for a row another process wrote (an API that died before
    publishing it): the relay's own look, every `poll_seconds`, finds it."""
    async with _relay_running(orders, poll_seconds=1.0) as relay:
        await asyncio.sleep(0.3)  # the relay has looked once and sleeps
        event = school_registered(ABBOTS_LANGLEY)
        await _add_to_outbox(orders, event.type, event.model_dump_json(), event)  # no ring
        await asyncio.sleep(0.3)
        assert await relay.pending() == 1  # not yet: nothing woke the relay
        await eventually(lambda: _none_pending(relay), timeout=5)


async def test_a_slow_look_leaves_a_fresh_row_to_the_process_that_committed_it(
    orders: Service[Any],
) -> None:
    """A row another process committed a moment ago is most likely being published by that
    process: the relay's slow look leaves it until it has settled, and only then sends it (the
    look after its own process's commit takes every row at once)."""
    async with _relay_running(
        orders,
        wakeup=orders.wakeup,  # rung by the service's own commits
        poll_seconds=0.1,
        settle_seconds=1.0,
    ) as relay:
        await asyncio.sleep(0.3)  # the relay looks every 0.1 s
        event = school_registered(ABBOTS_LANGLEY)
        added = time.monotonic()
        await _add_to_outbox(orders, event.type, event.model_dump_json(), event)  # no ring
        await asyncio.sleep(0.6)  # six looks meanwhile
        assert await relay.pending() == 1
        await eventually(lambda: _none_pending(relay), timeout=5)
        assert time.monotonic() - added >= 1.0

        async with orders.unit_of_work() as uow:  # a commit of its own rings: no settling
            uow.record(school_registered(ASHWELL).payload)
            await uow.commit()
        rung = time.monotonic()
        await eventually(lambda: _none_pending(relay), timeout=5)
        assert time.monotonic() - rung < 0.5
