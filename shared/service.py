"""How a service is put together: the same parts, in the same places, for every service.

A service's `bootstrap.py` describes itself with a `ServiceDefinition`; `Service` then builds
its database engine, unit of work, HTTP API, broker and worker. Nothing is built at import time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from shared import metrics
from shared.bus import Commands, Events, MessageBus
from shared.clock import Clock
from shared.db import create_engine, session_factory, sqlite_file
from shared.events.base import Event
from shared.messaging.batches import BatchedConsumer, DeliveryPolicy
from shared.messaging.connection import JetStreamLink
from shared.messaging.consumer import Subscriptions
from shared.messaging.figures import read_messaging_figures
from shared.messaging.parts import Parts, finish_within
from shared.messaging.relay import OutboxRelay, Publish, Wakeup
from shared.messaging.tables import MessagingTables
from shared.messaging.worker import (
    Worker,
    asyncapi_json,
    create_broker,
    declare_publications,
    declare_subscriptions,
)
from shared.metrics_server import serve_metrics
from shared.scheduling import Job
from shared.settings import ServiceSettings
from shared.telemetry import tracer_provider
from shared.uow import UnitOfWork

if TYPE_CHECKING:  # a worker starts without FastAPI and the routes: only an API needs them
    from fastapi import APIRouter, FastAPI
    from faststream.nats import NatsBroker

U = TypeVar("U", bound=UnitOfWork)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceDefinition(Generic[U]):
    settings: ServiceSettings
    title: str
    description: str
    tables: MessagingTables
    unit_of_work: type[U]
    # The HTTP API's routes, imported when an API is built, never by a worker.
    routers: Callable[[], list[APIRouter]]
    migrations_dir: Path
    publishes: tuple[type[Event], ...] = ()
    # What its bus handles: commands from its routes and jobs, events from its worker's
    # subscriptions (see shared/bus.py).
    commands: Commands = field(default_factory=dict)
    events: Events = field(default_factory=dict)
    # The outside parties its handlers name, built once (not at import) and closed on shutdown.
    parties: Callable[[], Mapping[str, object]] = field(default=dict)
    # The jobs its worker runs on a timer, given its bus.
    jobs: Callable[[MessageBus[U]], tuple[Job, ...]] = field(default=lambda _bus: ())
    # The one "today" of its API and its worker (a test or a demonstration may set the day).
    clock: Clock = field(default_factory=Clock)


class Service(Generic[U]):
    def __init__(self, definition: ServiceDefinition[U]) -> None:
        self.definition = definition
        self.settings = definition.settings
        self.engine = create_engine(
            self.settings.database_url,
            pool_size=self.settings.database_pool_size,
            max_overflow=self.settings.database_max_overflow,
        )
        self.sessions = session_factory(self.engine)
        self.database_file = sqlite_file(self.settings.database_url)  # None on PostgreSQL
        self.clock = definition.clock
        self.wakeup = Wakeup()  # rung by this process's commits that record events

    @property
    def name(self) -> str:
        return self.settings.service_name

    def unit_of_work(self) -> U:
        return self.definition.unit_of_work(
            self.sessions,
            producer=self.name,
            tables=self.definition.tables,
            events_recorded=self.wakeup.ring,
        )

    @cached_property
    def parties(self) -> Mapping[str, object]:
        """The outside parties its handlers use, built once per service."""
        return self.definition.parties()

    @cached_property
    def bus(self) -> MessageBus[U]:
        return self.bus_on(self.clock)

    def bus_on(self, clock: Clock) -> MessageBus[U]:
        """A bus of this service whose handlers see `clock` (a test's fixed day or moment)."""
        return MessageBus(
            unit_of_work=self.unit_of_work,
            clock=clock,
            commands=self.definition.commands,
            events=self.definition.events,
            dependencies={"settings": self.settings, **self.parties},
        )

    async def migrate(self) -> None:
        from shared.migrations import upgrade  # alembic: only a migration needs it

        await upgrade(self.engine, self.definition.migrations_dir)

    def subscriptions(self) -> Subscriptions:
        subscriptions = Subscriptions()
        self.bus.subscribe(subscriptions, consumer=self.name)
        return subscriptions

    @cached_property
    def asyncapi(self) -> str:
        provider = tracer_provider(self.name, self.settings.otel_exporter)
        broker: NatsBroker = create_broker(self.settings.nats_url, provider)
        declare_subscriptions(broker, self.subscriptions())
        declare_publications(broker, self.definition.publishes)
        return asyncapi_json(broker, title=f"{self.definition.title} events")

    def api(self) -> FastAPI:
        from shared.audit_api import audit_router
        from shared.http import service_api
        from shared.http_metrics import install_metrics

        parts = Parts(f"{self.name} API")  # its relay, of this app alone
        app = service_api(
            settings=self.settings,
            title=self.definition.title,
            description=self.definition.description,
            engine=self.engine,
            asyncapi=lambda: self.asyncapi,
            routers=[*self.definition.routers(), audit_router(self.name)],
            tables=self.definition.tables,
            background=lambda: self.relaying(parts),
            health=parts.stopped,
        )
        app.state.unit_of_work = self.unit_of_work
        app.state.bus = self.bus
        app.state.clock = self.clock
        install_metrics(app, service=self.name, sample=self.read_figures)
        return app

    async def read_figures(self) -> None:
        """The figures /metrics reads at each scrape: the outbox, the consumers' lag, the WAL."""
        await read_messaging_figures(
            self.name,
            sessions=self.sessions,
            tables=self.definition.tables,
            nats_url=self.settings.nats_url,
        )
        if self.database_file is not None:
            metrics.sqlite_wal(self.name, self.database_file)

    def relay(self, publish: Publish) -> OutboxRelay:
        return OutboxRelay(
            sessions=self.sessions,
            tables=self.definition.tables,
            publish=publish,
            wakeup=self.wakeup,
            poll_seconds=self.settings.outbox_poll_seconds,
        )

    @asynccontextmanager
    async def relaying(self, parts: Parts) -> AsyncIterator[None]:
        """The API's own relay, one of its `parts`: it publishes the events the API commits as
        they commit, while the worker's relay (woken by the worker's commits) only polls slowly
        for them."""
        link = JetStreamLink(self.settings.nats_url)
        relay = self.relay(link.publish)

        async def connect_then_relay() -> None:
            while True:
                try:
                    await link.connect()
                    break
                except Exception as error:  # NATS not up yet: the worker's relay covers for us
                    log.warning("%s API: NATS not reachable yet (%s)", self.name, error)
                    await asyncio.sleep(2.0)
            await relay.run_forever()

        parts.start(connect_then_relay(), name=f"{self.name}-api-relay")
        try:
            yield
        finally:
            await parts.stop(grace_seconds=10)
            await finish_within(
                asyncio.create_task(link.close()), 10, what=f"{self.name} API NATS connection"
            )
            await self.bus.aclose()

    def consumers(self) -> list[BatchedConsumer]:
        settings = self.settings
        policy = DeliveryPolicy(
            batch_size=settings.consumer_batch_size,
            max_deliveries=settings.consumer_max_deliveries,
            ack_wait_seconds=settings.consumer_ack_wait_seconds,
            backoff_seconds=tuple(settings.consumer_backoff_seconds),
            max_ack_pending=settings.consumer_max_ack_pending,
            idle_fetch_seconds=settings.consumer_idle_fetch_seconds,
            gather_seconds=settings.consumer_gather_seconds,
        )
        return [
            BatchedConsumer(
                subscription, policy=policy, sessions=self.sessions, tables=self.definition.tables
            )
            for subscription in self.subscriptions().all
        ]

    def worker(self) -> Worker:
        link = JetStreamLink(self.settings.nats_url)
        return Worker(
            name=self.name,
            link=link,
            consumers=self.consumers(),
            relay=self.relay(link.publish),
            stream_replicas=self.settings.stream_replicas,
            jobs=self.definition.jobs(self.bus),
        )

    async def run_worker(self, *, once_started: Callable[[], None] | None = None) -> None:
        """The worker until SIGINT or SIGTERM, with /metrics and /healthz on `metrics_port`;
        its consumers' and relay's spans go where the API's do, the last of them on the way out.
        `once_started` is called when it has started."""
        provider = tracer_provider(self.name, self.settings.otel_exporter)
        worker = self.worker()
        server = await serve_metrics(
            self.settings.http_host,
            self.settings.metrics_port,
            sample=self.read_figures,
            health=worker.stopped_parts,
        )
        try:
            await worker.run(once_started=once_started)
        finally:
            await self.bus.aclose()
            server.close()
            await server.wait_closed()
            provider.shutdown()
