"""A batched consumer of invoices that a test runs itself, on a NATS connection of its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from shared.events import Envelope, InvoiceRaisedV1
from shared.messaging.batches import BatchedConsumer, DeliveryPolicy
from shared.messaging.connection import JetStreamLink
from shared.messaging.consumer import Subscription
from shared.messaging.streams import ensure_streams
from shared.service import Service

QUICK = DeliveryPolicy(idle_fetch_seconds=0.5)  # a stopped test's consumer stops within this


@asynccontextmanager
async def consuming_invoices(
    service: Service[Any],
    consumer: str,
    apply: Callable[[Any, Envelope[Any]], Awaitable[object]],
    *,
    policy: DeliveryPolicy = QUICK,
) -> AsyncIterator[tuple[Subscription, JetStreamLink]]:
    """`apply` given each invoice raised, in the batches of `policy`, by the durable consumer
    `consumer` in `service`'s database; yields its subscription and its connection."""
    await ensure_streams(service.settings.nats_url)
    subscription = Subscription(consumer, InvoiceRaisedV1, service.unit_of_work, apply)
    batches = BatchedConsumer(
        subscription, policy=policy, sessions=service.sessions, tables=service.definition.tables
    )
    link = JetStreamLink(service.settings.nats_url)
    await link.connect()
    running = asyncio.create_task(batches.run_forever(link.jetstream))
    try:
        yield subscription, link
    finally:
        running.cancel()
        await asyncio.wait({running}, timeout=5)
        await link.close()
