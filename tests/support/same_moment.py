"""Two workers applying events at the same moment, the first held at its commit until the
second waits on what the first wrote: the race of two deliveries about one thing, made sure."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from shared.bus import Command, MessageBus
from shared.db import LazyConnection
from shared.events import Envelope
from shared.messaging.consumer import apply_batch
from shared.service import Service
from tests.support.held import Gate


async def applied_at_the_same_moment(
    service: Service[Any], first: Envelope[Any], second: Envelope[Any]
) -> list[Exception | bool]:
    """Each event's outcome (True: applied now): `first` applied by a worker whose commit waits
    until `second`, applied by another worker, waits on what the first wrote (PostgreSQL) or has
    had time to."""
    gate = Gate()
    holding = asyncio.create_task(
        apply_batch([first], uow_factory=held_at_commit(service, gate), apply=service.bus.apply)
    )
    await asyncio.wait_for(gate.asked.wait(), timeout=10)
    meeting = asyncio.create_task(
        apply_batch([second], uow_factory=service.unit_of_work, apply=service.bus.apply)
    )
    await until_a_transaction_waits_on_another(service)
    gate.release()
    return [*await holding, *await meeting]


def held_at_commit(service: Service[Any], gate: Gate) -> Callable[[], Any]:
    """Units of work of the service whose commit waits at the gate."""

    class HeldAtCommit(LazyConnection):
        async def commit(self) -> None:
            await gate.wait()
            await super().commit()

    def held_unit_of_work() -> Any:
        return service.definition.unit_of_work(
            lambda: HeldAtCommit(service.engine),
            producer=service.name,
            tables=service.definition.tables,
        )

    return held_unit_of_work


async def handled_at_the_same_moment(
    service: Service[Any], first: Command[Any], second: Command[Any]
) -> list[Any]:
    """What each command's handler returned: `first` handled by one request whose commit waits
    until `second`, handled by another, has finished or waits on what the first wrote."""
    gate = Gate()
    held = MessageBus(
        unit_of_work=held_at_commit(service, gate),
        clock=service.clock,
        commands=service.definition.commands,
        dependencies={"settings": service.settings, **service.parties},
    )
    holding = asyncio.create_task(held.handle(first))
    await asyncio.wait_for(gate.asked.wait(), timeout=10)
    meeting = asyncio.create_task(service.bus.handle(second))
    deadline = time.monotonic() + 10
    while not meeting.done() and time.monotonic() < deadline:
        if await _waiting_on_a_lock(service):
            break
        await asyncio.sleep(0.02)
    gate.release()
    return [await holding, await meeting]


async def _waiting_on_a_lock(service: Service[Any]) -> bool:
    """Whether a transaction waits on another's (on SQLite, a process's transactions queue for
    its one connection, so the second always waits)."""
    if service.engine.dialect.name != "postgresql":
        await asyncio.sleep(0.1)
        return True
    async with service.engine.connect() as connection:
        return bool(await connection.scalar(WAITING_ON_A_LOCK))


WAITING_ON_A_LOCK = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


async def until_a_transaction_waits_on_another(service: Service[Any], timeout: float = 10) -> None:
    if service.engine.dialect.name != "postgresql":
        await asyncio.sleep(0.1)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await _waiting_on_a_lock(service):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the second worker never waited on the first's row")
