"""A worker's own small HTTP server: `GET /metrics` for Prometheus and `GET /healthz` for its
liveness probe (503, naming it, once a part of the worker has died), in the worker's event loop
(so the figures read at scrape time can use its database engine), with no web framework and no
signal handlers of its own."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import TYPE_CHECKING

from shared import metrics
from shared.messaging import parts

if TYPE_CHECKING:  # the worker's server is not FastAPI's: only the type is shared
    from shared.http_metrics import Sample

log = logging.getLogger(__name__)

READ_TIMEOUT_SECONDS = 5.0


async def serve_metrics(
    host: str, port: int, *, sample: Sample, health: parts.Health = list
) -> asyncio.Server:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_SECONDS)
            method, path, *_ = request.decode("latin-1").split(" ", 2)
            status, body, content_type = await _respond(
                method, path.split("?", 1)[0], sample, health
            )
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            )
            writer.write(body)
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, ValueError, ConnectionError):
            pass  # a caller that hung up or spoke nonsense gets nothing
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    return await asyncio.start_server(answer, host, port)


async def _respond(
    method: str, path: str, sample: Sample, health: parts.Health
) -> tuple[str, bytes, str]:
    if method != "GET":
        return "405 Method Not Allowed", b"GET only\n", "text/plain"
    if path == "/healthz":
        status, answer = parts.health_answer(health())
        reason = "OK" if status == 200 else "Service Unavailable"
        return f"{status} {reason}", json.dumps(answer).encode(), "application/json"
    if path == "/metrics":
        await sample()
        body, content_type = metrics.exposition()
        return "200 OK", body, content_type
    return "404 Not Found", b"/metrics or /healthz\n", "text/plain"
