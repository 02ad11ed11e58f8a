"""A worker's shutdown is bounded even when a part of it refuses to stop, as nats-py's
`drain()` does by swallowing the cancellation it is given, and prompt when a part swallowed
only one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, NoReturn

import pytest
from nats.aio.client import Client
from sqlalchemy import MetaData

from shared.events import OrderPaidV1
from shared.messaging.batches import BatchedConsumer, DeliveryPolicy
from shared.messaging.consumer import Subscription
from shared.messaging.parts import finish_within, stop_within
from shared.messaging.tables import add_messaging_tables


async def _stubborn(released: asyncio.Event) -> None:
    while True:
        try:
            await released.wait()
            return
        except asyncio.CancelledError:
            continue  # like nats-py's drain: goes on as if nothing happened


async def test_a_part_that_swallows_cancellation_is_abandoned_after_the_grace_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    released = asyncio.Event()
    stubborn = asyncio.create_task(_stubborn(released))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="shared.messaging.parts"):
        await finish_within(stubborn, 0.2, what="orders subscribers")
    assert time.monotonic() - started < 2
    assert not stubborn.done()
    assert "orders subscribers did not stop within 0.2s" in caplog.text
    assert "in _stubborn" in caplog.text  # where it was stuck, for whoever reads the log
    released.set()
    await stubborn


async def _swallows_one_cancellation_then_waits_out_its_fetch(fetch_seconds: float) -> None:
    # as nats-py does when the cancellation comes while it queues a pull request:
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.sleep(fetch_seconds)
    await asyncio.sleep(fetch_seconds)  # the next fetch, unaware that it was told to stop


async def test_a_part_that_swallowed_its_cancellation_is_cancelled_again_and_stops_at_once() -> (
    None
):
    part = asyncio.create_task(_swallows_one_cancellation_then_waits_out_its_fetch(5.0))
    await asyncio.sleep(0)
    started = time.monotonic()
    await stop_within(part, 10, what="ledger consumer")
    assert part.cancelled()
    assert time.monotonic() - started < 2  # not the 5 s of the fetch it had gone on to


async def test_a_part_that_stops_in_time_is_waited_for_and_its_failure_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def failing() -> None:
        raise RuntimeError("connection already closed")

    with caplog.at_level(logging.WARNING, logger="shared.messaging.parts"):
        await finish_within(asyncio.create_task(failing()), 5, what="ledger relay")
    assert "ledger relay failed while stopping" in caplog.text
    assert "connection already closed" in caplog.text


class _FetchThatTimesOutWhenCancelled:
    """A pull subscription as nats-py's can behave: cancelled while it waits, its fetch may
    raise its timeout instead of the cancellation (until `honest`, so a failing test ends)."""

    honest = False

    async def fetch(self, batch: int, timeout: float) -> list[object]:
        try:
            await asyncio.sleep(timeout)
        except asyncio.CancelledError:
            if self.honest:
                raise
            raise TimeoutError from None
        raise TimeoutError


def _never_asked(*_: object) -> NoReturn:
    raise AssertionError("a consumer whose fetch never returns asks for nothing else")


async def test_a_consumer_stops_when_told_even_if_its_fetch_turns_the_cancellation_into_a_timeout() -> (
    None
):
    pull = _FetchThatTimesOutWhenCancelled()

    class Bound(BatchedConsumer):
        async def _bind(self, jetstream: object) -> Any:
            return pull

    subscription = Subscription("ledger", OrderPaidV1, _never_asked, _never_asked)
    consumer = Bound(
        subscription,
        policy=DeliveryPolicy(idle_fetch_seconds=0.05),
        sessions=_never_asked,
        tables=add_messaging_tables(MetaData()),
    )
    running = asyncio.create_task(consumer.run_forever(Client().jetstream()))  # never connected
    await asyncio.sleep(0.02)
    running.cancel()
    done, _ = await asyncio.wait({running}, timeout=1)
    pull.honest = True
    if not done:
        running.cancel()
    assert done and running.cancelled()
