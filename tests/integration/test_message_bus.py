"""The bus owns a command's transaction: one command, one commit; a handler that raises
leaves nothing behind; handlers see the bus's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from uuid import UUID

import pytest

from services.catalogue.application.services import Listed, PublishService, RepriceService
from services.catalogue.application.trust_prices import SetTrustPriceList
from services.catalogue.domain.trust_prices import TrustPriceList
from shared.clock import Clock
from shared.errors import NotFound
from shared.tariffs import Prices
from tests.support.catalogue_fixtures import ADMIN, Catalogue, catalogue_on
from tests.support.databases import DatabaseFactory
from tests.support.tariffs import flat


@pytest.fixture
async def catalogue(sqlite_databases: DatabaseFactory) -> AsyncIterator[Catalogue]:
    async with catalogue_on(sqlite_databases, schools=False) as running:
        yield running


async def test_a_command_is_committed_when_its_handler_returns(catalogue: Catalogue) -> None:
    prices = TrustPriceList("HAT", "Hertfordshire Academy Trust", 5)

    await catalogue.service.bus.handle(SetTrustPriceList(prices))

    async with catalogue.service.unit_of_work() as uow:
        assert await uow.trust_prices.find("HAT") == prices


async def test_a_command_whose_handler_raises_changes_nothing(catalogue: Catalogue) -> None:
    draft = await catalogue.create()
    before = await catalogue.outbox()

    with pytest.raises(NotFound):
        await catalogue.service.bus.handle(PublishService(service_id=UUID(int=0)))

    assert await catalogue.outbox() == before
    found = await catalogue.client.get(f"/services/{draft['id']}", headers=ADMIN)
    assert found.json()["status"] == "draft"


async def test_handlers_see_the_day_of_the_bus_they_are_handled_by(catalogue: Catalogue) -> None:
    draft = await catalogue.create()
    on_a_set_day = catalogue.service.bus_on(Clock(date(2027, 2, 1)))
    service = await catalogue.service.bus.handle(PublishService(UUID(draft["id"])))
    current = service.service.prices_on(date(2027, 2, 1))

    repriced: Listed = await on_a_set_day.handle(
        RepriceService(
            UUID(draft["id"]), Prices.model_validate({"maintained": flat(99_000)}), current.vat_rate
        )
    )

    assert repriced.service.prices_on(date(2027, 2, 1)).effective_from == date(2027, 2, 1)


async def test_a_command_the_bus_has_no_handler_for_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(LookupError, match="no handler for str"):
        await catalogue.service.bus.handle("publish everything")
