"""Orders asks the catalogue for prices over HTTP. A connection that drops before the answer
(a kept-alive one the catalogue has just closed, say) is asked again once; a catalogue that
never answers makes a 503 naming it, never a 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from uuid import uuid4

import pytest
from opentelemetry.sdk.trace import TracerProvider

from services.orders.adapters.catalogue_client import CatalogueClient, catalogue_client
from services.orders.application.renewals import priced_for_the_year
from services.orders.domain.lines import OrderLine
from shared.errors import Unavailable
from shared.money import VatRate

QUOTE = {
    "service_id": str(uuid4()),
    "title": "Governor clerking service",
    "service_type": "subscription",
    "category": "Governance",
    "price_version": 1,
    "quantity": 1,
    "unit_price_pence": 95_000,
    "vat_rate": "standard",
}


async def catalogue_that_drops(connections_dropped: int) -> tuple[asyncio.Server, list[str]]:
    """A real socket server: the first `connections_dropped` connections are closed once the
    request has come in; after that each request is answered with one quote."""
    seen: list[str] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        length = next(
            (
                int(line.split(":")[1])
                for line in head.split("\r\n")
                if line.lower().startswith("content-length")
            ),
            0,
        )
        await reader.readexactly(length)
        seen.append(head.split(" ")[1])
        if len(seen) <= connections_dropped:
            writer.close()
            return
        body = json.dumps([QUOTE]).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0), seen


@pytest.fixture
async def client_of() -> AsyncIterator[Callable[[asyncio.Server], CatalogueClient]]:
    opened: list[CatalogueClient] = []

    def make(server: asyncio.Server) -> CatalogueClient:
        port = server.sockets[0].getsockname()[1]
        client = CatalogueClient(
            catalogue_client(f"http://127.0.0.1:{port}", provider=TracerProvider())
        )
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


async def test_a_dropped_connection_is_asked_again_once(
    client_of: Callable[[asyncio.Server], CatalogueClient],
) -> None:
    server, seen = await catalogue_that_drops(1)
    async with server:
        quotes = await client_of(server).asked_by("token").quotes(urn=117083, lines=[(uuid4(), 1)])
    assert [quote.unit_price_pence for quote in quotes] == [95_000]
    assert seen == ["/quotes/batch", "/quotes/batch"]


async def test_a_catalogue_that_never_answers_is_unavailable(
    client_of: Callable[[asyncio.Server], CatalogueClient],
) -> None:
    server, seen = await catalogue_that_drops(10)
    async with server:
        with pytest.raises(Unavailable, match="the catalogue did not answer"):
            await client_of(server).asked_by("token").quotes(urn=117083, lines=[(uuid4(), 1)])
    assert len(seen) == 2


async def test_a_renewal_priced_while_the_catalogue_never_answers_is_unavailable_not_unsold(
    client_of: Callable[[asyncio.Server], CatalogueClient],
) -> None:
    last_year = OrderLine(
        service_id=uuid4(),
        title="Governor clerking service",
        service_type="subscription",
        category="Governance",
        price_version=1,
        quantity=1,
        unit_price_pence=95_000,
        vat_rate=VatRate.STANDARD,
    )
    server, _ = await catalogue_that_drops(10)
    async with server:
        with pytest.raises(Unavailable, match="the catalogue did not answer"):
            await priced_for_the_year(
                client_of(server).asked_by("token"), 117083, [last_year], "2027-28"
            )


async def test_a_catalogue_that_fails_is_unavailable() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = CatalogueClient(
        catalogue_client(f"http://127.0.0.1:{port}", provider=TracerProvider())
    )
    async with server:
        with pytest.raises(Unavailable, match="the catalogue could not answer"):
            await client.asked_by("token").quotes(urn=117083, lines=[(uuid4(), 1)])
    await client.aclose()
