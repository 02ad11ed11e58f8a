from collections.abc import AsyncIterator

import pytest

from tests.support.databases import DatabaseFactory
from tests.support.orders_shop import (
    LocalStripe,
    Shop,
    close_shop,
    localstripe,
    open_shop,
    quiet_shop,
    shop,
)

__all__ = ["localstripe", "quiet_shop", "shop", "shop_and_ledger"]


@pytest.fixture
async def shop_and_ledger(
    databases: DatabaseFactory, nats_url: str, localstripe: LocalStripe
) -> AsyncIterator[Shop]:
    """The shop with the ledger's worker running too: orders' money reaches the book."""
    opened = await open_shop(
        databases, nats_url, localstripe, workers=("catalogue", "orders", "ledger")
    )
    yield opened
    await close_shop(opened)
