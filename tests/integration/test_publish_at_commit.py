"""A process publishes the events it commits as they commit, and marks them sent later; while
NATS will not take them it leaves them to the relay, and the events still go out in order."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import nats
import nats.js.errors
import pytest
from nats.js import JetStreamContext
from sqlalchemy import select

from services import registry
from shared.messaging.streams import ensure_streams
from shared.service import Service
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, eventually

MARK_EVERY_SECONDS = 1.0
JENYNS = 117087  # Jenyns First School and Nursery, a third school of the real register


@pytest.fixture
async def orders(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Service[Any]]:
    service = registry.service(
        "orders",
        database_url=await databases.new("orders"),
        nats_url=nats_url,
        environment="test",
        outbox_poll_seconds=1.0,  # after NATS refused a turn, the relay tries again this soon
        outbox_mark_every_seconds=MARK_EVERY_SECONDS,
    )
    await service.migrate()
    await ensure_streams(nats_url)
    yield service
    await service.engine.dispose()


@pytest.fixture
async def stream(nats_url: str) -> AsyncIterator[JetStreamContext]:
    connection = await nats.connect(nats_url)
    yield connection.jetstream()
    await connection.close()


async def stored(stream: JetStreamContext, event_ids: list[str]) -> list[str]:
    """Which of these events the ORDERS stream holds, in the order it took them."""
    state = (await stream.stream_info("ORDERS")).state
    held = []
    for sequence in range(max(state.first_seq, 1), state.last_seq + 1):
        with contextlib.suppress(nats.js.errors.NotFoundError):
            message = await stream.get_msg("ORDERS", sequence)
            if message.data and (event_id := json.loads(message.data)["event_id"]) in event_ids:
                held.append(event_id)
    return held


async def test_an_event_goes_out_as_it_commits_and_is_marked_sent_afterwards(
    orders: Service[Any], stream: JetStreamContext
) -> None:
    worker = orders.worker()
    await worker.start()
    try:
        await soon(lambda: _armed(orders))  # the relay found nothing waiting
        event_id = await _register(orders, ABBOTS_LANGLEY)
        await eventually(lambda: _stored_are(stream, [event_id]))
        # In the stream, and still unsent in the outbox: published at commit, not by the relay
        # (which marks a row as soon as its ack comes); marked with the others a second later.
        assert await _unsent(orders) == 1
        await eventually(lambda: _unsent_is(orders, 0))
    finally:
        await worker.stop()


async def test_events_nats_will_not_take_are_left_to_the_relay_and_go_out_in_order(
    orders: Service[Any], stream: JetStreamContext, nats_url: str
) -> None:
    worker = orders.worker()
    await worker.start()
    try:
        await soon(lambda: _armed(orders))
        await stream.delete_stream("ORDERS")  # unanswered, as between leaders
        event_ids = [await _register(orders, urn) for urn in (ABBOTS_LANGLEY, ASHWELL, JENYNS)]
        await soon(lambda: not _armed(orders))  # the first went unanswered: the relay has them
        assert await _unsent(orders) == 3  # none lost, none marked

        await ensure_streams(nats_url)  # the stream answers again: the relay sends them in turn
        await eventually(lambda: _stored_are(stream, event_ids), timeout=20)
        await eventually(lambda: _unsent_is(orders, 0))
        await soon(lambda: _armed(orders))  # and commits publish their own again
        event_ids.append(await _register(orders, ASHWELL))  # a second event for one school
        await eventually(lambda: _stored_are(stream, event_ids))
        assert await _unsent(orders) == 1
    finally:
        await worker.stop()
        await ensure_streams(nats_url)


async def soon(condition: Callable[[], bool], *, timeout: float = 5.0) -> None:
    async def holds() -> bool:
        return condition()

    await eventually(holds, timeout=timeout)


def _armed(service: Service[Any]) -> bool:
    return service.at_commit is not None and service.at_commit.armed


async def _register(service: Service[Any], urn: int) -> str:
    event = school_registered(urn)
    async with service.unit_of_work() as uow:
        uow.record(event.payload, event_id=event.event_id)
        await uow.commit()
    return str(event.event_id)


async def _stored_are(stream: JetStreamContext, event_ids: list[str]) -> bool:
    return await stored(stream, event_ids) == event_ids


async def _unsent(service: Service[Any]) -> int:
    outbox = service.definition.tables.outbox
    async with service.sessions() as session:
        rows = await session.execute(select(outbox.c.event_id).where(outbox.c.sent_at.is_(None)))
        return len(rows.all())


async def _unsent_is(service: Service[Any], count: int) -> bool:
    return await _unsent(service) == count
