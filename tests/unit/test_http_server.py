"""The APIs' and the portal's server wakes once a second while idle, yet stops as soon as it is
asked to, and still dates its answers."""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any

import httpx
import pytest
import uvicorn

from shared import http_server
from shared.http_server import QuietServer
from tests.support.nats_server import free_port


async def hello(scope: dict[str, Any], _receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


async def test_a_stop_signal_ends_the_sleeping_main_loop_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(http_server, "TICK_SECONDS", 60.0)  # a stop that waited would show
    # The server re-raises the signal that stopped it once it has stopped: one that does nothing.
    previous = signal.signal(signal.SIGUSR1, lambda *_: None)
    port = free_port()
    config = uvicorn.Config(hello, host="127.0.0.1", port=port, lifespan="off", log_config=None)
    server = QuietServer(config)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"http://127.0.0.1:{port}/")
        assert answer.text == "hello"
        assert answer.headers["date"].endswith("GMT")
        await asyncio.sleep(0.2)  # asleep in its main loop

        asked = time.monotonic()
        server.handle_exit(signal.SIGUSR1, None)
        await asyncio.wait_for(serving, timeout=30)
        assert time.monotonic() - asked < 10
    finally:
        server.should_exit = True
        await asyncio.wait({serving}, timeout=5)
        signal.signal(signal.SIGUSR1, previous)
