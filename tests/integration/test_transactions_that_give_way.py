"""A command whose transaction PostgreSQL chooses as a deadlock's victim is tried again, whole,
rather than answered with a 500: the transaction changed nothing, and on the next try the
other one has finished. So is a command that lost a race it names (`handled_again_on`), and
only such a command."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Update, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import db
from shared.bus import TRANSACTION_ATTEMPTS, Command, MessageBus
from shared.clock import Clock
from shared.errors import Conflict
from shared.messaging.tables import add_messaging_tables
from shared.uow import UnitOfWork
from tests.support.databases import DatabaseFactory

metadata = MetaData()
counters = Table(
    "counters",
    metadata,
    Column("name", String(10), primary_key=True),
    Column("count", Integer, nullable=False),
)
tables = add_messaging_tables(metadata)


@dataclass(frozen=True)
class CountBoth(Command[None]):
    first: str
    then: str


class LostARace(Conflict):
    pass


@dataclass(frozen=True)
class CountUnlessRaced(Command[int]):
    name: str
    races_lost: int

    handled_again_on = (LostARace,)


@dataclass(frozen=True)
class CountUnlessRefused(Command[int]):
    name: str


@pytest.fixture
async def engine(databases: DatabaseFactory) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(await databases.new("give_way"))
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(
            insert(counters), [{"name": "a", "count": 0}, {"name": "b", "count": 0}]
        )
    yield engine
    await engine.dispose()


async def test_a_deadlock_victim_is_tried_again_and_each_command_counts_once(
    engine: AsyncEngine, databases: DatabaseFactory
) -> None:
    if databases.backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: its transactions never deadlock")
    sessions = db.session_factory(engine)
    both_hold_their_first = asyncio.Barrier(2)
    tries = {"a": 0, "b": 0}

    async def count_both(command: CountBoth, *, uow: UnitOfWork) -> None:
        tries[command.first] += 1
        await uow.session.execute(_add_one(command.first))
        if tries[command.first] == 1:  # each takes its first row, then asks for the other's
            await both_hold_their_first.wait()
        await uow.session.execute(_add_one(command.then))

    bus = MessageBus(
        unit_of_work=lambda: UnitOfWork(sessions, producer="test", tables=tables),
        clock=Clock(),
        commands={CountBoth: count_both},
    )

    await asyncio.wait_for(
        asyncio.gather(bus.handle(CountBoth("a", "b")), bus.handle(CountBoth("b", "a"))),
        timeout=30,
    )

    async with sessions() as session:
        counts = dict((await session.execute(select(counters.c.name, counters.c.count))).all())
    assert counts == {"a": 2, "b": 2}
    assert sorted(tries.values()) == [1, 2]  # the victim ran twice, the other once


async def test_a_command_that_lost_a_race_it_names_is_handled_again_and_counts_once(
    engine: AsyncEngine,
) -> None:
    sessions = db.session_factory(engine)
    tries: list[str] = []

    async def count(command: CountUnlessRaced | CountUnlessRefused, *, uow: UnitOfWork) -> int:
        tries.append(command.name)
        await uow.session.execute(_add_one(command.name))  # rolled back when it raises below
        if isinstance(command, CountUnlessRefused):
            raise LostARace("the other request won")  # a race this command does not name
        if tries.count(command.name) <= command.races_lost:
            raise LostARace("the other request won")
        return tries.count(command.name)

    bus = MessageBus(
        unit_of_work=lambda: UnitOfWork(sessions, producer="test", tables=tables),
        clock=Clock(),
        commands={CountUnlessRaced: count, CountUnlessRefused: count},
    )

    assert await bus.handle(CountUnlessRaced("a", races_lost=2)) == 3
    with pytest.raises(LostARace):  # lost on every attempt: the last one's refusal stands
        await bus.handle(CountUnlessRaced("b", races_lost=TRANSACTION_ATTEMPTS))
    with pytest.raises(LostARace):
        await bus.handle(CountUnlessRefused("a"))

    async with sessions() as session:
        counts = dict((await session.execute(select(counters.c.name, counters.c.count))).all())
    assert counts == {"a": 1, "b": 0}
    assert tries == ["a"] * 3 + ["b"] * TRANSACTION_ATTEMPTS + ["a"]


def _add_one(name: str) -> Update:
    return update(counters).where(counters.c.name == name).values(count=counters.c.count + 1)
