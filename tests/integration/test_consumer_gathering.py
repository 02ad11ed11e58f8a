"""A consumer off the money path may let its next batch gather: an event that comes to an idle
consumer is applied at once, and those that come while it gathers are applied together, in one
transaction, rather than each paying a batch's fixed cost."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID, uuid4

from services import registry
from shared.events import Envelope, InvoiceRaisedV1
from shared.messaging.batches import DeliveryPolicy
from tests.support.consumers import consuming_invoices
from tests.support.databases import DatabaseFactory
from tests.support.events import invoice_raised, publish_raw
from tests.support.platform import eventually

GATHER_SECONDS = 1.5


class Batches:
    """The events each transaction applied, in the order applied (one unit of work a batch)."""

    def __init__(self) -> None:
        self.by_unit_of_work: dict[int, list[UUID]] = {}

    async def apply(self, uow: Any, envelope: Envelope[Any]) -> None:
        self.by_unit_of_work.setdefault(id(uow), []).append(envelope.event_id)

    def holding(self, *events: Envelope[InvoiceRaisedV1]) -> list[list[UUID]]:
        """The batches that applied any of `events`, each cut down to those events."""
        wanted = {event.event_id for event in events}
        found = [[e for e in batch if e in wanted] for batch in self.by_unit_of_work.values()]
        return [batch for batch in found if batch]


@asynccontextmanager
async def gathering_consumer(
    sqlite_databases: DatabaseFactory, nats_url: str, batches: Batches
) -> AsyncIterator[None]:
    service = registry.service(
        "evaluation", database_url=await sqlite_databases.new("evaluation"), nats_url=nats_url
    )
    await service.migrate()
    policy = DeliveryPolicy(idle_fetch_seconds=0.5, gather_seconds=GATHER_SECONDS)
    durable = f"gathering-{uuid4().hex[:8]}"
    async with consuming_invoices(service, durable, batches.apply, policy=policy):
        yield


async def test_an_idle_consumer_applies_an_event_at_once_and_gathers_those_that_follow(
    sqlite_databases: DatabaseFactory, nats_url: str
) -> None:
    batches = Batches()
    first, alone, *following = (invoice_raised(net_pence=n) for n in (100, 200, 301, 302, 303))

    async def publish(event: Envelope[InvoiceRaisedV1]) -> None:
        assert await publish_raw(nats_url, event, msg_id=str(event.event_id))

    async def applied(*events: Envelope[InvoiceRaisedV1]) -> bool:
        return sum(map(len, batches.holding(*events))) == len(events)

    async with gathering_consumer(sqlite_databases, nats_url, batches):
        await publish(first)  # the stream's earlier events come before it
        await eventually(lambda: applied(first))
        await asyncio.sleep(GATHER_SECONDS + 0.2)  # idle again, waiting on a fetch

        sent = time.monotonic()
        await publish(alone)
        await eventually(lambda: applied(alone))
        waited = time.monotonic() - sent
        for event in following:  # one at a time: a consumer not gathering takes each alone
            await publish(event)
            await asyncio.sleep(0.1)
        await eventually(lambda: applied(*following))

    assert waited < GATHER_SECONDS  # the first event after a quiet spell is not held back
    assert batches.holding(alone, *following) == [
        [alone.event_id],
        [event.event_id for event in following],
    ]
