"""A worker's shutdown is bounded even when a part of it refuses to stop, as nats-py's
`drain()` does by swallowing the cancellation it is given."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from shared.messaging.worker import finish_within


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
    with caplog.at_level(logging.WARNING, logger="shared.messaging.worker"):
        await finish_within(stubborn, 0.2, what="orders subscribers")
    assert time.monotonic() - started < 2
    assert not stubborn.done()
    assert "orders subscribers did not stop within 0.2s" in caplog.text
    assert "in _stubborn" in caplog.text  # where it was stuck, for whoever reads the log
    released.set()
    await stubborn


async def test_a_part_that_stops_in_time_is_waited_for_and_its_failure_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def failing() -> None:
        raise RuntimeError("connection already closed")

    with caplog.at_level(logging.WARNING, logger="shared.messaging.worker"):
        await finish_within(asyncio.create_task(failing()), 5, what="ledger relay")
    assert "ledger relay failed while stopping" in caplog.text
    assert "connection already closed" in caplog.text
