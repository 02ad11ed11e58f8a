"""One service asks another through httpx sent over aiohttp: the answer arrives as httpx would
give it (status, headers, a compressed body decoded), the trace goes with the request, and a
service that cannot be reached or does not answer in time raises httpx's own errors."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider

from shared.http_transport import AiohttpTransport
from shared.telemetry import traced
from tests.support.nats_server import free_port


async def serving(answer: bytes | None) -> tuple[asyncio.Server, list[str]]:
    """A real socket server that answers every request with `answer` (None: never answers),
    keeping each request as it came."""
    requests: list[str] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                requests.append(await read_request(reader))
                if answer is None:
                    await asyncio.sleep(10)
                writer.write(answer or b"")
                await writer.drain()

    return await asyncio.start_server(serve, "127.0.0.1", 0), requests


async def read_request(reader: asyncio.StreamReader) -> str:
    head = (await reader.readuntil(b"\r\n\r\n")).decode()
    length = next(
        (
            int(line.split(":")[1])
            for line in head.split("\r\n")
            if line.lower().startswith("content-length")
        ),
        0,
    )
    return head + (await reader.readexactly(length)).decode()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with traced(
        httpx.AsyncClient(timeout=0.5, transport=AiohttpTransport()), TracerProvider()
    ) as opened:
        yield opened


def address(server: asyncio.Server) -> str:
    return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def test_the_answer_is_httpxs_and_the_request_carries_its_trace(
    client: httpx.AsyncClient,
) -> None:
    body = gzip.compress(json.dumps({"unit_price_pence": 65_000}).encode())
    answer = (
        b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n"
        + f"x-correlation-id: abc\r\ncontent-length: {len(body)}\r\n\r\n".encode()
        + body
    )
    server, requests = await serving(answer)
    async with server:
        for _ in range(2):  # the second on the kept-alive connection
            response = await client.post(
                f"{address(server)}/quotes", json={"urn": 117083}, headers={"X-Asked": "yes"}
            )
            assert response.status_code == 201
            assert response.headers["x-correlation-id"] == "abc"
            assert response.json() == {"unit_price_pence": 65_000}
    first = requests[0].lower()
    assert first.startswith("post /quotes http/1.1")
    assert "x-asked: yes" in first
    assert "traceparent: 00-" in first
    assert first.endswith('{"urn":117083}')
    assert len(requests) == 2


async def test_a_service_that_does_not_answer_in_time_is_a_read_timeout(
    client: httpx.AsyncClient,
) -> None:
    server, _ = await serving(None)
    async with server:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(address(server))


async def test_a_service_nobody_listens_for_is_a_connect_error(
    client: httpx.AsyncClient,
) -> None:
    with pytest.raises(httpx.ConnectError):
        await client.get(f"http://127.0.0.1:{free_port()}/")
