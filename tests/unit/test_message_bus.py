"""The bus refuses, at wiring, a handler that names what it cannot give."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.bus import MessageBus
from shared.clock import Clock
from shared.uow import UnitOfWork


class Nothing:
    pass


async def needs_a_gateway(command: Nothing, *, uow: Any, gateway: object) -> None:
    pass


async def needs_today(command: Nothing, *, uow: Any, today: date) -> None:
    pass


def no_unit_of_work() -> UnitOfWork:
    raise AssertionError("these buses are only built, never asked to handle anything")


def test_a_handler_naming_a_dependency_the_bus_lacks_is_refused_when_the_bus_is_built() -> None:
    with pytest.raises(TypeError, match="gateway"):
        MessageBus(unit_of_work=no_unit_of_work, clock=Clock(), commands={Nothing: needs_a_gateway})


def test_a_handler_is_given_the_dependencies_it_names() -> None:
    MessageBus(
        unit_of_work=no_unit_of_work,
        clock=Clock(),
        commands={Nothing: needs_a_gateway},
        dependencies={"gateway": object()},
    )


def test_a_clock_set_to_a_moment_gives_that_moment_and_its_day() -> None:
    from datetime import UTC, datetime

    moment = datetime(2027, 1, 11, 9, 30, tzinfo=UTC)
    clock = Clock(moment)
    assert (clock.now(), clock.today()) == (moment, date(2027, 1, 11))


def test_a_clock_set_to_a_day_gives_that_day_at_the_present_time() -> None:
    clock = Clock(date(2027, 1, 11))
    assert (clock.today(), clock.now().date()) == (date(2027, 1, 11), date(2027, 1, 11))
