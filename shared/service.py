"""How a service is put together: the same parts, in the same places, for every service.

A service's `bootstrap.py` describes itself with a `ServiceDefinition`; `Service` then builds
its database engine, unit of work, HTTP API, broker and worker. Nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from fastapi import APIRouter, FastAPI
from faststream.nats import NatsBroker

from shared import metrics
from shared.db import create_engine, session_factory
from shared.events.base import Event
from shared.http import service_api
from shared.http_metrics import install_metrics
from shared.messaging.figures import read_messaging_figures
from shared.messaging.relay import OutboxRelay
from shared.messaging.tables import MessagingTables
from shared.messaging.worker import Worker, asyncapi_json, create_broker, declare_publications
from shared.metrics_server import serve_metrics
from shared.migrations import upgrade
from shared.settings import ServiceSettings
from shared.telemetry import tracer_provider
from shared.uow import UnitOfWork

U = TypeVar("U", bound=UnitOfWork)


@dataclass(frozen=True)
class ServiceDefinition(Generic[U]):
    settings: ServiceSettings
    title: str
    description: str
    tables: MessagingTables
    unit_of_work: type[U]
    routers: list[APIRouter]
    migrations_dir: Path
    publishes: tuple[type[Event], ...] = ()
    subscribe: Callable[[NatsBroker, Callable[[], U]], None] = field(
        default=lambda _broker, _uow: None
    )


class Service(Generic[U]):
    def __init__(self, definition: ServiceDefinition[U]) -> None:
        self.definition = definition
        self.settings = definition.settings
        self.engine = create_engine(self.settings.database_url)
        self.sessions = session_factory(self.engine)

    @property
    def name(self) -> str:
        return self.settings.service_name

    def unit_of_work(self) -> U:
        return self.definition.unit_of_work(
            self.sessions, producer=self.name, tables=self.definition.tables
        )

    async def migrate(self) -> None:
        await upgrade(self.engine, self.definition.migrations_dir)

    def broker(self) -> NatsBroker:
        provider = tracer_provider(self.name, self.settings.otel_exporter)
        broker = create_broker(self.settings.nats_url, provider)
        self.definition.subscribe(broker, self.unit_of_work)
        declare_publications(broker, self.definition.publishes)
        return broker

    @cached_property
    def asyncapi(self) -> str:
        return asyncapi_json(self.broker(), title=f"{self.definition.title} events")

    def api(self) -> FastAPI:
        app = service_api(
            settings=self.settings,
            title=self.definition.title,
            description=self.definition.description,
            engine=self.engine,
            asyncapi=lambda: self.asyncapi,
            routers=self.definition.routers,
        )
        app.state.unit_of_work = self.unit_of_work
        install_metrics(app, service=self.name, sample=self.read_messaging_figures)
        return app

    async def read_messaging_figures(self) -> None:
        await read_messaging_figures(
            self.name,
            sessions=self.sessions,
            tables=self.definition.tables,
            nats_url=self.settings.nats_url,
        )

    def relay(self, broker: NatsBroker) -> OutboxRelay:
        return OutboxRelay(
            sessions=self.sessions,
            tables=self.definition.tables,
            publish=metrics.counting_publishes(broker.publish),
            poll_seconds=self.settings.outbox_poll_seconds,
        )

    def worker(self) -> Worker:
        broker = self.broker()
        return Worker(
            name=self.name,
            nats_url=self.settings.nats_url,
            broker=broker,
            relay=self.relay(broker),
            stream_replicas=self.settings.stream_replicas,
        )

    async def run_worker(self) -> None:
        """The worker until SIGINT or SIGTERM, with /metrics and /healthz on `metrics_port`."""
        server = await serve_metrics(
            self.settings.http_host, self.settings.metrics_port, sample=self.read_messaging_figures
        )
        try:
            await self.worker().run()
        finally:
            server.close()
            await server.wait_closed()
