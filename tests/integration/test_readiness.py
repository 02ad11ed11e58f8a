"""Readiness tells the truth quickly, and a list of cluster seeds reaches the live one."""

from __future__ import annotations

from pathlib import Path

import httpx

from services import registry
from shared.messaging.connection import connect_once
from tests.support.nats_server import free_port


async def test_readyz_answers_503_at_once_when_nats_cannot_be_reached(tmp_path: Path) -> None:
    dead = f"nats://127.0.0.1:{free_port()}"
    orders = registry.service(
        "orders", database_url=f"sqlite+aiosqlite:///{tmp_path}/orders.db", nats_url=dead
    )
    await orders.migrate()
    transport = httpx.ASGITransport(app=orders.api())
    async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
        response = await client.get("/readyz", timeout=5)
    await orders.engine.dispose()
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "database": True, "nats": False}


async def test_a_comma_separated_list_of_seeds_connects_to_one_that_answers(nats_url: str) -> None:
    dead = f"nats://127.0.0.1:{free_port()}"
    connection = await connect_once(f"{dead},{nats_url}")
    try:
        assert connection.is_connected
    finally:
        await connection.close()
