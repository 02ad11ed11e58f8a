from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.support.databases import DatabaseFactory
from tests.support.platform import Platform
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
