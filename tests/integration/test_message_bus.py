"""The bus owns a command's transaction: one command, one commit; a handler that raises
leaves nothing behind; handlers see the bus's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services.catalogue.application.services import Listed, PublishService, RepriceService
from services.catalogue.application.trust_prices import SetTrustPriceList
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.trust_prices import TrustPriceList
from shared.bus import Command, MessageBus
from shared.clock import Clock, business_day, start_of
from shared.errors import NotFound
from shared.events import ServiceRetiredV1
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
    not_a_command: Any = "publish everything"  # as a caller the type checker never saw
    with pytest.raises(LookupError, match="no handler for str"):
        await catalogue.service.bus.handle(not_a_command)


@dataclass(frozen=True)
class AskOutside(Command[None]):
    """A command whose handler does something outside the database, then maybe fails."""

    then: str  # "return", "raise" or "fail to commit"


async def test_what_a_command_did_outside_is_undone_unless_its_transaction_commits(
    catalogue: Catalogue,
) -> None:
    undone: list[str] = []

    async def ask_outside(command: AskOutside, *, uow: CatalogueUnitOfWork) -> None:
        async def take_back() -> None:
            undone.append(command.then)

        uow.undo_unless_committed(take_back)
        if command.then == "raise":
            raise NotFound("no such service")
        if command.then == "fail to commit":
            retired = ServiceRetiredV1(service_id=uuid4(), code="X", retired_on=date(2027, 1, 4))
            twice = uow.envelope(retired)
            uow.record_envelope(twice)
            uow.record_envelope(twice)  # the outbox refuses one event id twice

    bus = MessageBus(
        unit_of_work=catalogue.service.unit_of_work,
        clock=Clock(),
        commands={AskOutside: ask_outside},
    )
    await bus.handle(AskOutside("return"))
    with pytest.raises(NotFound):
        await bus.handle(AskOutside("raise"))
    with pytest.raises(IntegrityError):
        await bus.handle(AskOutside("fail to commit"))

    assert undone == ["raise", "fail to commit"]


async def test_a_routes_unit_of_work_reads_and_cannot_commit(catalogue: Catalogue) -> None:
    """A route reads through its own unit of work; a change goes through the bus."""
    retired = ServiceRetiredV1(service_id=uuid4(), code="X", retired_on=date(2027, 1, 4))
    async with catalogue.service.unit_of_work().reading() as uow:
        uow.record(retired)
        with pytest.raises(RuntimeError, match="commits nothing"):
            await uow.commit()
    async with catalogue.service.unit_of_work() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(uow.tables.outbox)) == 0


@dataclass(frozen=True)
class WhatTime(Command[tuple[date, datetime]]):
    """A command whose handler answers the day and the moment it was handled on."""


async def test_a_handler_s_day_is_the_day_of_its_moment_though_midnight_strikes_between(
    catalogue: Catalogue,
) -> None:
    midnight = start_of(date(2027, 1, 5))
    ticks = iter([midnight - timedelta(microseconds=1), midnight + timedelta(microseconds=1)])

    async def what_time(_: WhatTime, *, today: date, now: datetime) -> tuple[date, datetime]:
        return today, now

    bus = MessageBus(
        unit_of_work=catalogue.service.unit_of_work,
        clock=Clock(system=lambda: next(ticks)),
        commands={WhatTime: what_time},
    )
    today, now = await bus.handle(WhatTime())

    assert today == business_day(now)
