"""Jobs a service's worker runs on a timer beside its subscribers (the ledger recognising the
income that has fallen due, say). A job must be safe to run twice and in two workers at once:
its work is keyed, so a second run finds nothing left to do."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from shared import metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]

    async def run_forever(self, *, service: str) -> None:
        """Run now, then every `every_seconds`; a failed run is logged and tried next time, and
        the runs failed in a row are shown (`job_failed_runs_in_a_row`) for an alert."""
        failed_in_a_row = metrics.JOB_FAILED_RUNS.labels(service, self.name)
        failed_in_a_row.set(0)
        while True:
            try:
                await self.run()
                failed_in_a_row.set(0)
            except Exception:
                # A database driver may turn the stop's cancellation into an error of its own.
                if _stopping():
                    raise asyncio.CancelledError from None
                failed_in_a_row.inc()
                log.exception("job %s failed; it runs again in %ss", self.name, self.every_seconds)
            await asyncio.sleep(self.every_seconds)


def _stopping() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
