"""A consumer's limits are set on purpose: the durable consumer on the server carries the ack wait
and the cap on unacknowledged messages of the delivery policy (the service's settings), follows a
changed policy at the next start, and never drops a message by itself: after the last delivery
the worker parks it in the dead-letter table (see test_delivery_guarantees)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from nats.js.api import AckPolicy, ConsumerConfig
from nats.js.errors import NotFoundError

from services import registry
from shared.events import Envelope
from shared.messaging.batches import DeliveryPolicy
from shared.messaging.streams import ensure_streams
from shared.service import Service
from tests.support.consumers import consuming_invoices
from tests.support.databases import DatabaseFactory
from tests.support.platform import eventually

DURABLE = "limits-ledger"


async def nothing(_uow: Any, _envelope: Envelope[Any]) -> None:
    return None


@asynccontextmanager
async def consumer_running(service: Service[Any], policy: DeliveryPolicy) -> AsyncIterator[Any]:
    """A batched consumer of invoices under `policy`; yields its durable's config on the server."""
    async with consuming_invoices(service, DURABLE, nothing, policy=policy) as (subscription, link):

        async def bound_as_asked() -> ConsumerConfig | None:
            try:
                found = await link.jetstream.consumer_info(
                    subscription.stream, subscription.durable
                )
            except NotFoundError:  # not created yet
                return None
            config: ConsumerConfig = found.config
            return config if config.ack_wait == policy.ack_wait_seconds else None

        yield await eventually(bound_as_asked)


async def test_the_durable_consumer_carries_the_policy_s_limits_and_follows_a_change(
    sqlite_databases: DatabaseFactory, nats_url: str
) -> None:
    service = registry.service(
        "ledger", database_url=await sqlite_databases.new("ledger"), nats_url=nats_url
    )
    await service.migrate()
    await ensure_streams(nats_url)

    first = DeliveryPolicy(ack_wait_seconds=7.0, max_ack_pending=50, idle_fetch_seconds=0.5)
    async with consumer_running(service, first) as config:
        assert config.ack_wait == 7.0
        assert config.max_ack_pending == 50
        assert config.ack_policy == AckPolicy.EXPLICIT
        assert config.max_deliver == -1  # the server never gives up on a message by itself

    changed = DeliveryPolicy(ack_wait_seconds=12.0, max_ack_pending=80, idle_fetch_seconds=0.5)
    async with consumer_running(service, changed) as config:  # the next start, new settings
        assert (config.ack_wait, config.max_ack_pending) == (12.0, 80)
