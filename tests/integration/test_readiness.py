"""Readiness tells the truth quickly, and a list of cluster seeds reaches the live one."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import httpx
import pytest
from nats.errors import NoServersError

from services import registry
from shared.messaging.connection import connect_once
from tests.support.nats_server import free_port
from tests.support.silent_server import silent_server


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


async def test_readyz_logs_why_each_check_that_refused_said_no(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`false` alone does not tell a database that is down from one not yet migrated: the
    engineer on call finds the reason in the log."""
    dead = f"nats://127.0.0.1:{free_port()}"
    orders = registry.service(  # never migrated: no dead-letter table to read
        "orders", database_url=f"sqlite+aiosqlite:///{tmp_path}/orders.db", nats_url=dead
    )
    transport = httpx.ASGITransport(app=orders.api())
    with caplog.at_level(logging.WARNING, logger="shared.http"):
        async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
            response = await client.get("/readyz", timeout=5)
    await orders.engine.dispose()
    assert response.json() == {"status": "not ready", "database": False, "nats": False}
    said = [record.getMessage() for record in caplog.records]
    assert any("orders /readyz: its database" in line and "dead_letters" in line for line in said)
    assert any(f"orders /readyz: its nats at {dead} refused" in line for line in said)


async def test_a_worker_waiting_for_nats_names_its_servers_without_their_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    orders = registry.service(
        "orders",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/orders.db",
        nats_url=f"nats://ops:hunter2@127.0.0.1:{port}",
    )
    worker = orders.worker()
    with caplog.at_level(logging.WARNING), pytest.raises((NoServersError, TimeoutError)):
        await worker.start(connect_attempts=2)
    await orders.engine.dispose()
    said = " ".join(record.getMessage() for record in caplog.records)
    assert f"orders: waiting for NATS at nats://127.0.0.1:{port}" in said
    assert "hunter2" not in said


@pytest.mark.parametrize("silent", ["database", "nats"])
async def test_readyz_answers_503_within_its_bound_naming_what_never_answers(
    silent: str, tmp_path: Path, nats_url: str
) -> None:
    async with silent_server() as port:
        orders = registry.service(
            "orders",
            database_url=(
                f"postgresql+asyncpg://orders@127.0.0.1:{port}/orders"
                if silent == "database"
                else f"sqlite+aiosqlite:///{tmp_path}/orders.db"
            ),
            nats_url=f"nats://127.0.0.1:{port}" if silent == "nats" else nats_url,
            readiness_timeout_seconds=0.5,
        )
        if silent == "nats":
            await orders.migrate()
        transport = httpx.ASGITransport(app=orders.api())
        async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
            started = time.monotonic()
            response = await asyncio.wait_for(client.get("/readyz"), timeout=10)
            waited = time.monotonic() - started
        await orders.engine.dispose()
    assert response.status_code == 503
    answered = {"database": silent != "database", "nats": silent != "nats"}
    assert response.json() == {"status": "not ready", **answered, "unanswered": [silent]}
    assert waited < 3  # its bound, not the driver's connect timeout (asyncpg's: 60 s)


async def test_a_comma_separated_list_of_seeds_connects_to_one_that_answers(nats_url: str) -> None:
    dead = f"nats://127.0.0.1:{free_port()}"
    connection = await connect_once(f"{dead},{nats_url}")
    try:
        assert connection.is_connected
    finally:
        await connection.close()
