"""uvicorn's server with a quieter main loop: uvicorn wakes ten times a second to see whether it
should stop and once a second to refresh its Date header; this one wakes once a second, and at
once when a stop signal comes, so an idle API or portal sleeps without being slower to stop."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from shared.heap import freeze_what_startup_made

TICK_SECONDS = 1.0
# uvicorn's on_tick refreshes the Date header when its tick counter is a multiple of ten.
_TICKS_PER_HEADER_REFRESH = 10


class QuietServer(uvicorn.Server):
    def __init__(
        self, config: uvicorn.Config, *, once_started: Callable[[], None] | None = None
    ) -> None:
        super().__init__(config)
        self._once_started = once_started
        self._stop_rung: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def main_loop(self) -> None:
        """Called once the app has started (its lifespan) and the socket is listening."""
        if self._once_started is not None:
            self._once_started()
        self._loop = asyncio.get_running_loop()
        self._stop_rung = asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + _TICKS_PER_HEADER_REFRESH) % 864_000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_rung.wait(), TICK_SECONDS)
            should_exit = await self.on_tick(counter)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and self._stop_rung is not None:
            self._loop.call_soon_threadsafe(self._stop_rung.set)


# How long an idle connection is kept open for its client's next request: longer than any
# client of ours keeps one (5 s: httpx's pool, and shared/http_transport.py's), so that the
# client, not the server, closes it. Were both 5 s, a request sent on a connection the server
# was closing would fail.
KEEP_ALIVE_SECONDS = 30


def serve(factory: str, *, host: str, port: int) -> None:
    """Serve the ASGI app that `factory` ("module:function") builds, until SIGINT or SIGTERM."""
    # log_config=None: uvicorn's loggers go through ours (plain or JSON, PLATFORM_LOG_FORMAT).
    config = uvicorn.Config(
        factory,
        factory=True,
        host=host,
        port=port,
        log_level="info",
        log_config=None,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    server = QuietServer(config, once_started=freeze_what_startup_made)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises SIGINT again once stopped
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)  # as uvicorn.run does
