from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
import pytest_asyncio

from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import Ledger, running_ledger
from tests.support.platform import Platform, reset_streams
from tests.support.portal_pages import seeded_platform


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> AsyncIterator[Platform]:
    """One seeded platform (SQLite, real NATS) for a whole test module of portal pages: each
    test changes only what it alone looks at. A module may declare its own `seeded` instead."""
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    async with seeded_platform(DatabaseFactory("sqlite", folder, None), nats_url) as platform:
        yield platform


# The day the last monthly recognition of a subscription from September 2026 falls due: every
# event the ledger's tests publish is posted in full by then.
AFTER_EVERY_EVENT = date(2027, 8, 31)


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    """The ledger hearing only what the test publishes, its clock on AFTER_EVERY_EVENT. A module
    may declare its own `ledger` instead."""
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url, today=AFTER_EVERY_EVENT) as running:
        yield running
