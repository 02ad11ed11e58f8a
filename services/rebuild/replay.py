"""Replaying every event a service subscribes to, from the start of its streams, into another
database: under durable names of the replay's own, so the live consumers never notice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import replace
from typing import Any

import nats.errors
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from shared.messaging.batches import BatchedConsumer
from shared.messaging.connection import JetStreamLink
from shared.messaging.parts import stop_within
from shared.service import Service

log = logging.getLogger(__name__)


def replaying_consumers(service: Service[Any], *, tag: str) -> list[BatchedConsumer]:
    """The service's consumers under names of the replay's own (`ledger-rebuild-<tag>--…`)."""
    consumers = service.consumers()
    for consumer in consumers:
        consumer.subscription = replace(
            consumer.subscription, consumer=f"{consumer.subscription.consumer}-rebuild-{tag}"
        )
    return consumers


async def replay(service: Service[Any], *, tag: str, timeout: float = 600.0) -> None:
    """Apply every event of the service's subscriptions, from each stream's first message, into
    `service`'s database; then run its jobs once (income falling due, say). Nothing is
    published: the relay is not run."""
    link = JetStreamLink(service.settings.nats_url)
    await link.connect()
    consumers = replaying_consumers(service, tag=tag)
    tasks = [
        asyncio.create_task(
            consumer.run_forever(link.jetstream), name=consumer.subscription.durable
        )
        for consumer in consumers
    ]
    try:
        await caught_up(link.jetstream, consumers, timeout=timeout)
        for job in service.definition.jobs(service.bus):
            await job.run()
    finally:
        await asyncio.gather(*(stop_within(task, 10, what=task.get_name()) for task in tasks))
        for consumer in consumers:  # a replay leaves nothing behind on the server
            with contextlib.suppress(NotFoundError):
                await link.jetstream.delete_consumer(
                    consumer.subscription.stream, consumer.subscription.durable
                )
        await link.close()


async def caught_up(
    jetstream: JetStreamContext, consumers: list[BatchedConsumer], *, timeout: float = 60.0
) -> None:
    """Wait until each consumer has nothing pending and nothing unacknowledged."""
    deadline = time.monotonic() + timeout
    while waiting := [c.subscription.durable for c in consumers if not await _done(jetstream, c)]:
        if time.monotonic() > deadline:
            raise TimeoutError(f"replay not caught up after {timeout}s: {', '.join(waiting)}")
        await asyncio.sleep(0.2)


async def _done(jetstream: JetStreamContext, consumer: BatchedConsumer) -> bool:
    subscription = consumer.subscription
    try:
        info = await jetstream.consumer_info(subscription.stream, subscription.durable)
    except nats.errors.TimeoutError:  # a cluster busy electing a leader: ask again
        return False
    except NotFoundError:  # not bound yet; or no stream, because nothing was ever published
        try:
            await jetstream.stream_info(subscription.stream)
        except NotFoundError:
            return True
        return False
    return not info.num_pending and not info.num_ack_pending
