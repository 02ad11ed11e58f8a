"""Two workers applying events at the same moment, the first held at its commit until the
second waits on what the first wrote: the race of two deliveries about one thing, made sure."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import text

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

    holding = asyncio.create_task(
        apply_batch([first], uow_factory=held_unit_of_work, apply=service.bus.apply)
    )
    await asyncio.wait_for(gate.asked.wait(), timeout=10)
    meeting = asyncio.create_task(
        apply_batch([second], uow_factory=service.unit_of_work, apply=service.bus.apply)
    )
    await until_a_transaction_waits_on_another(service)
    gate.release()
    return [*await holding, *await meeting]


async def until_a_transaction_waits_on_another(service: Service[Any], timeout: float = 10) -> None:
    if service.engine.dialect.name != "postgresql":
        await asyncio.sleep(0.1)
        return
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with service.engine.connect() as connection:
            if await connection.scalar(waiting):
                return
        await asyncio.sleep(0.02)
    raise AssertionError("the second worker never waited on the first's row")
