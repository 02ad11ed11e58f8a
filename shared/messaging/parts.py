"""The parts of a process that run until it is stopped: a worker's consumers, relay and timed
jobs, an API's own relay. One that ends while its process runs has died, and what it does waits
until the process is restarted: its health says so (503, naming it) and its end is logged at
once. Stopping them is bounded, since a driver can swallow a cancellation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

# The names of a process's parts that have died (none: healthy).
Health = Callable[[], list[str]]

# How long a stop waits for a part it has cancelled before cancelling it again (see
# `stop_within`): longer than a part takes to roll back what it was doing.
CANCEL_AGAIN_SECONDS = 0.25


class Parts:
    def __init__(self, owner: str) -> None:
        self.owner = owner  # what they are parts of, in the log: "orders worker", "orders API"
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

    def start(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        task = asyncio.create_task(work, name=name)
        task.add_done_callback(self._ended)
        self._tasks.append(task)

    def stopped(self) -> list[str]:
        """The names of the parts that have ended although they were not stopped."""
        if self._stopping:
            return []
        return [task.get_name() for task in self._tasks if task.done()]

    async def stop(self, *, grace_seconds: float) -> None:
        """Stop every part, each abandoned if it has not stopped within the grace period."""
        self._stopping = True
        await asyncio.gather(
            *(stop_within(task, grace_seconds, what=task.get_name()) for task in self._tasks)
        )
        self._tasks = []

    def _ended(self, task: asyncio.Task[None]) -> None:
        if self._stopping:
            return
        error = None if task.cancelled() else task.exception()
        log.error(
            "%s stopped while its %s runs: nothing it does is done until the %s is restarted",
            task.get_name(),
            self.owner,
            self.owner,
            exc_info=error,
        )


def health_answer(stopped: list[str]) -> tuple[int, dict[str, Any]]:
    """What /healthz answers (its status and body) when `stopped` parts have died."""
    if stopped:
        return 503, {"status": "failing", "stopped": stopped}
    return 200, {"status": "ok"}


async def stop_within(task: asyncio.Task[None], seconds: float, *, what: str) -> None:
    """Cancel a consumer, relay or job and wait for it to end, as `finish_within` does, asking
    again every `CANCEL_AGAIN_SECONDS` while it goes on.

    nats-py swallows a cancellation that arrives while it hands a message (a fetch's pull
    request, an ack) to its flusher; the consumer then waited out its idle fetch, 5 s, before
    it saw it had been told to stop."""
    task.cancel()
    await finish_within(task, seconds, what=what, cancel_again_every=CANCEL_AGAIN_SECONDS)


async def finish_within(
    task: asyncio.Task[None],
    seconds: float,
    *,
    what: str,
    cancel_again_every: float | None = None,
) -> None:
    """Wait for a stopping task, but never longer than `seconds` (cancelling it again every
    `cancel_again_every` seconds, if given, while it goes on).

    Unlike `asyncio.wait_for`, this does not then wait for the cancellation to take: nats-py's
    `drain()` swallows `CancelledError` and goes on flushing, so waiting for it could hang a
    shutdown for ever. The warning shows where the task was waiting.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not task.done() and (left := deadline - loop.time()) > 0:
        await asyncio.wait({task}, timeout=min(left, cancel_again_every or left))
        if cancel_again_every and not task.done():
            task.cancel()
    if not task.done():
        log.warning(
            "%s did not stop within %ss; abandoned it at:\n%s", what, seconds, awaiting(task)
        )
        task.cancel()
        return
    if not task.cancelled() and task.exception() is not None:
        log.warning("%s failed while stopping", what, exc_info=task.exception())


def awaiting(task: asyncio.Task[None]) -> str:
    """Where a suspended task waits: its chain of awaits, outermost first."""
    lines = []
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is not None:
            lines.append(f"  {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}")
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return "\n".join(lines)
