"""A worker's timed job: it runs at once and then on its interval, a failed run is logged and
tried again next time, and a stop ends it."""

from __future__ import annotations

import asyncio
import logging

import pytest

from shared.scheduling import Job


async def test_a_job_that_fails_is_logged_and_runs_again_until_stopped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[int] = []

    async def flaky() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise ConnectionError("the database went away")

    task = asyncio.create_task(Job("recognition", 0.01, flaky).run_forever())
    with caplog.at_level(logging.ERROR):
        while len(runs) < 3:
            await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "job recognition failed" in caplog.text
