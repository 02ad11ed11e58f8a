"""Every write of every service's API, with valid generated requests, each sent twice at the same
moment on PostgreSQL (where two transactions run side by side, unlike SQLite's one writer): no
answer may be a server error, and a PUT's two answers must agree. Two requests that both pass a
check and then meet on a key, or lock rows in opposite orders, answered 500 (or, for a PUT,
409) here before; each now gets its 409, is handled again by the bus, or takes its turn."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI

from services import registry
from shared.auth import Role
from tests.support.api_fuzzing import ids_listed, platform_apps, twice_at_once, writes
from tests.support.databases import PostgresDatabases
from tests.support.orders_shop import LocalStripe, localstripe
from tests.support.platform import ABBOTS_LANGLEY, auth

EXAMPLES_PER_OPERATION = 4
SEED = 20261205

__all__ = ["localstripe"]  # the fixture: card checkouts ask a real local Stripe


@pytest.fixture(scope="module")
def apps(postgres: PostgresDatabases | None, localstripe: LocalStripe) -> dict[str, FastAPI]:
    if postgres is None:
        pytest.skip("no PostgreSQL answers (set TEST_POSTGRES_URL to run these on it)")

    async def emptied() -> dict[str, str]:
        return {name: await postgres.emptied(f"at_once_{name}") for name in registry.NAMES}

    return platform_apps(asyncio.run(emptied()), demo_data=True, localstripe_port=localstripe.port)


@pytest.fixture(scope="module")
def portal(apps: dict[str, FastAPI]) -> Iterator[BlockingPortal]:
    """One event loop for every request (a PostgreSQL connection belongs to the loop it opened
    on), on which the school has ordered each of the catalogue's services it may first, and put
    a few in its basket: the writes on an order or a basket line then have something to act on."""
    with start_blocking_portal() as running:
        running.call(order_some_services, apps)
        yield running


async def order_some_services(apps: dict[str, FastAPI]) -> None:
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    catalogue, orders = (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[name]), base_url=f"http://{name}")
        for name in ("catalogue", "orders")
    )
    async with catalogue, orders:
        shop = (await catalogue.get("/services", headers=school)).json()
        placed = 0
        for service in shop:
            body = {
                "urn": ABBOTS_LANGLEY,
                "lines": [{"service_id": service["id"], "quantity": 1}],
                "payment_method": "invoice",
                "purchase_order": f"PO-AT-ONCE-{placed}",
            }
            placed += (await orders.post("/orders", json=body, headers=school)).status_code == 201
        assert placed >= 3, "the school could not order from the demo's catalogue"
        for service in shop[:3]:  # and its basket holds a few lines
            line = {"service_id": service["id"], "quantity": 1}
            answer = await orders.post(
                f"/baskets/{ABBOTS_LANGLEY}/lines", json=line, headers=school
            )
            assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("name", registry.NAMES)
def test_no_write_sent_twice_at_the_same_moment_gets_a_server_error(
    apps: dict[str, FastAPI], portal: BlockingPortal, name: str
) -> None:
    app = apps[name]
    ids = portal.call(ids_listed, app)
    failures = [
        failure
        for operation in writes(app)
        for failure in twice_at_once(
            operation, app, portal, examples=EXAMPLES_PER_OPERATION, seed=SEED, ids=ids
        )
    ]
    assert not failures, "\n".join(str(failure) for failure in failures)
