"""A worker's timed job: it runs at once and then on its interval, a failed run is logged and
tried again next time, and a stop ends it."""

from __future__ import annotations

import asyncio
import logging

import pytest
from prometheus_client import REGISTRY

from shared.scheduling import Job


async def test_a_job_that_fails_is_logged_and_runs_again_until_stopped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[int] = []

    async def flaky() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise ConnectionError("the database went away")

    task = asyncio.create_task(Job("recognition", 0.01, flaky).run_forever(service="ledger"))
    with caplog.at_level(logging.ERROR):
        while len(runs) < 3:
            await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "job recognition failed" in caplog.text


async def test_a_job_that_keeps_failing_shows_how_many_runs_in_a_row_have_failed() -> None:
    """Its log alone would not page anyone: the runs failed in a row are a figure for an alert,
    back to 0 once a run succeeds."""
    runs: list[int] = []
    labels = {"service": "orders", "job": "card-refunds"}

    async def fails_three_times() -> None:
        runs.append(len(runs))
        if len(runs) <= 3:
            raise ConnectionError("Stripe is away")

    def failed_in_a_row() -> float | None:
        return REGISTRY.get_sample_value("job_failed_runs_in_a_row", labels)

    task = asyncio.create_task(
        Job("card-refunds", 0.01, fails_three_times).run_forever(service="orders")
    )
    seen = set()
    while len(runs) < 5:
        seen.add(failed_in_a_row())
        await asyncio.sleep(0.002)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert {1.0, 2.0, 3.0} <= seen
    assert failed_in_a_row() == 0
