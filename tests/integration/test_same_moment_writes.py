"""Every write of every service's API, with valid generated requests, each sent twice at the same
moment on PostgreSQL (where two transactions run side by side, unlike SQLite's one writer): no
answer may be a server error. Two requests that both pass a check and then meet on a key, or
lock rows in opposite orders, answered 500 here before; each now gets its 409, or is handled
again by the bus."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI

from services import registry
from tests.support.api_fuzzing import platform_apps, twice_at_once, writes
from tests.support.databases import PostgresDatabases

EXAMPLES_PER_OPERATION = 4
SEED = 20261205


@pytest.fixture(scope="module")
def apps(postgres: PostgresDatabases | None) -> dict[str, FastAPI]:
    if postgres is None:
        pytest.skip("no PostgreSQL answers (set TEST_POSTGRES_URL to run these on it)")

    async def emptied() -> dict[str, str]:
        return {name: await postgres.emptied(f"at_once_{name}") for name in registry.NAMES}

    return platform_apps(asyncio.run(emptied()))


@pytest.fixture(scope="module")
def portal() -> Iterator[BlockingPortal]:
    """One event loop for every request: a PostgreSQL connection belongs to the loop it opened on."""
    with start_blocking_portal() as running:
        yield running


@pytest.mark.parametrize("name", registry.NAMES)
def test_no_write_sent_twice_at_the_same_moment_gets_a_server_error(
    apps: dict[str, FastAPI], portal: BlockingPortal, name: str
) -> None:
    failures = [
        failure
        for operation in writes(apps[name])
        for failure in twice_at_once(
            operation, apps[name], portal, examples=EXAMPLES_PER_OPERATION, seed=SEED
        )
    ]
    assert not failures, "\n".join(str(failure) for failure in failures)
