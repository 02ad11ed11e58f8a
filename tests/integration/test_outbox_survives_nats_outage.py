"""With NATS down, a placed order's events wait in the outbox; when it is back they arrive."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from shared.auth import Role
from tests.integration.test_path_of_money import (
    listed_in_orders,
    place_invoice_order,
    publish_service,
)
from tests.support.databases import DatabaseFactory
from tests.support.nats_server import NatsServer
from tests.support.platform import Platform, auth, eventually, start_platform

FINANCE = auth(Role.FINANCE)


@pytest.fixture
async def own_nats() -> AsyncIterator[NatsServer]:
    server = NatsServer().start()
    yield server
    server.remove()


@pytest.fixture
async def platform_on_own_nats(
    sqlite_databases: DatabaseFactory, own_nats: NatsServer
) -> AsyncIterator[Platform]:
    running = await start_platform(sqlite_databases, own_nats.url)
    yield running
    await running.close()


async def test_events_wait_in_the_outbox_while_nats_is_down_and_arrive_after(
    platform_on_own_nats: Platform, own_nats: NatsServer
) -> None:
    platform = platform_on_own_nats
    service = await publish_service(platform, unit_price_pence=180_000, category="Governance")
    await eventually(lambda: listed_in_orders(platform, service["id"]))
    orders_relay = platform.workers["orders"].relay

    own_nats.stop()
    order = await place_invoice_order(platform, service["id"], quantity=2)
    assert order["gross_pence"] == 432_000

    await asyncio.sleep(1.5)  # the relay keeps trying meanwhile
    assert await orders_relay.pending() == 2  # order placed + invoice raised
    ledger_now = (await platform.ledger.get("/balances", headers=FINANCE)).json()
    assert ledger_now == []

    own_nats.start()

    async def posted() -> dict[str, int]:
        rows = (await platform.ledger.get("/balances", headers=FINANCE)).json()
        return {row["code"]: row["balance_pence"] for row in rows}

    book = await eventually(posted, timeout=30)
    assert book == {
        "receivables:schools": 432_000,
        "deferred-income": -360_000,  # earned when the order is delivered
        "vat:output": -72_000,
    }
    assert await orders_relay.pending() == 0
