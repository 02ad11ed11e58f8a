"""The event worker of a service: its batched consumers plus its outbox relay, in one process,
on one NATS connection of its own."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shared.events.base import Envelope, Event, stream_of
from shared.messaging.batches import BatchedConsumer
from shared.messaging.connection import JetStreamLink, nats_servers, shown_servers
from shared.messaging.consumer import Subscriptions
from shared.messaging.parts import Parts, finish_within
from shared.messaging.relay import OutboxRelay
from shared.messaging.streams import ensure_streams
from shared.scheduling import Job

if TYPE_CHECKING:  # FastStream only describes the events (AsyncAPI): a worker starts without it
    from faststream.nats import NatsBroker
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger(__name__)


def create_broker(nats_url: str, provider: TracerProvider) -> NatsBroker:
    """A broker that is never started: it describes a service's events in AsyncAPI."""
    from faststream.nats import NatsBroker
    from faststream.nats.opentelemetry import NatsTelemetryMiddleware

    return NatsBroker(
        nats_servers(nats_url),
        middlewares=[NatsTelemetryMiddleware(tracer_provider=provider)],
    )


def declare_publications(broker: NatsBroker, events: tuple[type[Event], ...]) -> None:
    """Make what a service publishes visible in its AsyncAPI document."""
    from faststream.nats import JStream

    for event in events:
        broker.publisher(
            event.subject,
            stream=JStream(stream_of(event.subject), declare=False),
            schema=event,
            title=event.subject,
            description=(event.__doc__ or "").strip(),
        )


def declare_subscriptions(broker: NatsBroker, subscriptions: Subscriptions) -> None:
    """Make what a service consumes visible in its AsyncAPI document."""
    from faststream.nats import JStream, PullSub

    for subscription in subscriptions.all:

        async def described(envelope: Any) -> None:
            raise NotImplementedError("documentation only: the worker consumes in batches")

        described.__annotations__["envelope"] = Envelope[subscription.event_type]  # type: ignore[name-defined]
        described.__name__ = f"{subscription.consumer}_on_{subscription.event_type.__name__}"
        broker.subscriber(
            subscription.subject,
            stream=JStream(subscription.stream, declare=False),
            durable=subscription.durable,
            pull_sub=PullSub(batch=True),
            title=f"{subscription.consumer}: {subscription.subject}",
        )(described)


def asyncapi_json(broker: NatsBroker, *, title: str) -> str:
    from faststream.specification import AsyncAPI

    return AsyncAPI(broker, title=title, version="1").to_specification().to_json()


class Worker:
    def __init__(
        self,
        *,
        name: str,
        link: JetStreamLink,
        consumers: list[BatchedConsumer],
        relay: OutboxRelay,
        stream_replicas: int = 1,
        jobs: tuple[Job, ...] = (),
    ) -> None:
        self.name = name
        self.link = link
        self.consumers = consumers
        self.relay = relay
        self.stream_replicas = stream_replicas
        self.jobs = jobs
        self.parts = Parts(f"{name} worker")

    async def start(self, *, connect_attempts: int = 60) -> None:
        for attempt in range(1, connect_attempts + 1):
            try:
                await ensure_streams(self.link.url, replicas=self.stream_replicas)
                break
            except Exception as error:  # NATS not up yet: the local run starts it alongside us
                if attempt == connect_attempts:
                    raise
                servers = shown_servers(self.link.url)
                log.warning("%s: waiting for NATS at %s (%r)", self.name, servers, error)
                await asyncio.sleep(0.5)
        await self.link.connect()
        self.parts.start(self.relay.run_forever(), name=f"{self.name}-relay")
        for consumer in self.consumers:
            self.parts.start(
                consumer.run_forever(self.link.jetstream), name=consumer.subscription.durable
            )
        for job in self.jobs:
            self.parts.start(job.run_forever(service=self.name), name=f"{self.name}-{job.name}")

    def stopped_parts(self) -> list[str]:
        """The consumers, relay and jobs that have died (see `Parts.stopped`)."""
        return self.parts.stopped()

    async def stop(self, *, grace_seconds: float = 10.0) -> None:
        """Stop the relay and the consumers. A part that will not stop within the grace period
        is abandoned: whatever it had not acknowledged is redelivered to the next worker, whose
        inbox makes that harmless."""
        await self.parts.stop(grace_seconds=grace_seconds)
        closing = asyncio.create_task(self.link.close(), name=f"{self.name}-nats-close")
        await finish_within(closing, grace_seconds, what=f"{self.name} NATS connection")

    async def run(self, *, once_started: Callable[[], None] | None = None) -> None:
        """Run until SIGINT or SIGTERM, then stop cleanly; `once_started` is called when every
        consumer, relay and job has started."""
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopping.set)
        await self.start()
        if once_started is not None:
            once_started()
        log.info("%s worker running", self.name)
        await stopping.wait()
        await self.stop()
        log.info("%s worker stopped", self.name)
