"""An API's /healthz tells the truth about its own outbox relay: once that relay has died, the
events the API commits wait in its outbox for the worker's slow look, so it answers 503 naming
the relay (as a worker does for its parts), and logs its end at once."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from services import registry
from tests.support.databases import DatabaseFactory


async def test_an_api_whose_relay_died_is_not_healthy(
    databases: DatabaseFactory, nats_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    orders = registry.service(
        "orders", database_url=await databases.new("orders"), nats_url=nats_url
    )
    await orders.migrate()
    app = orders.api()
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://orders") as client,
    ):
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        relay = next(task for task in asyncio.all_tasks() if task.get_name() == "orders-api-relay")
        with caplog.at_level(logging.ERROR):
            relay.cancel()  # as a cancellation a driver lets out would end it
            await asyncio.wait({relay})
        answer = await client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "failing", "stopped": ["orders-api-relay"]}
    assert "orders-api-relay stopped" in caplog.text
