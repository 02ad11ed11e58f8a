"""The five services running in this test process: real databases, a real NATS JetStream,
their workers consuming for real; HTTP requests go through each service's ASGI app."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import nats
from fastapi import FastAPI
from nats.js.errors import NotFoundError

from services import registry
from services.orders import bootstrap as orders_bootstrap
from services.orders.adapters.catalogue_client import catalogue_client
from services.orders.config import Settings as OrdersSettings
from services.seed import demo
from services.seed.catalogue import seed_catalogue_schools
from shared.auth import Role, issue_token
from shared.messaging.parts import finish_within
from shared.messaging.streams import PRODUCERS
from shared.messaging.worker import Worker
from shared.service import Service
from shared.settings import DEVELOPMENT_JWT_SECRET, ServiceSettings
from shared.telemetry import tracer_provider
from tests.support.databases import DatabaseFactory

T = TypeVar("T")
S = TypeVar("S", bound=ServiceSettings)

ABBOTS_LANGLEY = 117083  # Abbots Langley School, a maintained primary in the real register
ASHWELL = 117084  # Ashwell Primary School


# Where these tests' notifications send mail: a port nothing listens on, not the run command's
# default (8025), where a demo running beside the tests would receive their messages.
SETTINGS_FOR_TESTS: dict[str, dict[str, Any]] = {
    "notifications": {"smtp_port": 9},  # no mail server
    # a card refund an event's change recorded is asked of Stripe within a second, not ten
    "orders": {"refund_asked_again_after_seconds": 0.3, "refund_retry_every_seconds": 0.2},
}


def auth(role: Role, urn: int | None = None, *, trust: str | None = None) -> dict[str, str]:
    token = issue_token(
        secret=DEVELOPMENT_JWT_SECRET, subject=f"test-{role}", role=role, urn=urn, trust=trust
    )
    return {"Authorization": f"Bearer {token}"}


def invoice_order(
    service_id: str, *, purchase_order: str, urn: int = ABBOTS_LANGLEY, quantity: int = 1
) -> dict[str, Any]:
    """The body of POST /orders for one service, paid by invoice against a purchase order."""
    return {
        "urn": urn,
        "lines": [{"service_id": service_id, "quantity": quantity}],
        "payment_method": "invoice",
        "purchase_order": purchase_order,
    }


class SeparateProcessTransport(httpx.ASGITransport):
    """An app in this process reached as if over the network: each request runs in a context of
    its own, so that only what its headers carry (the trace, the correlation id) crosses over."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answering = super().handle_async_request(request)
        return await asyncio.create_task(answering, context=contextvars.Context())


@dataclass
class Platform:
    nats_url: str
    services: dict[str, Service[Any]] = field(default_factory=dict)
    workers: dict[str, Worker] = field(default_factory=dict)
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    apps: dict[str, FastAPI] = field(default_factory=dict)

    def __getattr__(self, name: str) -> httpx.AsyncClient:
        if name in registry.NAMES:
            return self.clients[name]
        raise AttributeError(name)

    def separate_clients(self) -> dict[str, httpx.AsyncClient]:
        """A client for each API that reaches it as another process would (for the portal)."""
        return {
            name: httpx.AsyncClient(
                transport=SeparateProcessTransport(app=app), base_url=f"http://{name}"
            )
            for name, app in self.apps.items()
        }

    async def start_worker(self, name: str) -> Worker:
        worker = self.services[name].worker()
        await worker.start()
        self.workers[name] = worker
        return worker

    async def stop_worker(self, name: str) -> None:
        await self.workers.pop(name).stop()

    async def close(self) -> None:
        for worker in self.workers.values():
            await worker.stop()
        for client in self.clients.values():
            await client.aclose()
        for name, service in self.services.items():
            await service.bus.aclose()  # orders' clients of the catalogue and of Stripe
            # A connection an abandoned subscriber still holds must not hang the next test.
            disposing = asyncio.create_task(service.engine.dispose())
            await finish_within(disposing, 10, what=f"{name} database pool")


async def start_platform(
    databases: DatabaseFactory,
    nats_url: str,
    *,
    workers: tuple[str, ...] = registry.NAMES,
    localstripe_url: str = "",
    settings: Mapping[str, Any] | None = None,
) -> Platform:
    """The platform; orders takes card payments through localstripe at `localstripe_url`;
    `settings` are every service's, beside (or in place of) those these tests give."""
    await reset_streams(nats_url)
    platform = Platform(nats_url=nats_url)
    for name in registry.NAMES:
        service = registry.service(
            name,
            database_url=await databases.new(name),
            nats_url=nats_url,
            environment="test",
            outbox_poll_seconds=0.02,
            **SETTINGS_FOR_TESTS.get(name, {}),
            **(settings or {}),
        )
        await service.migrate()
        platform.services[name] = service
        if name == "orders":
            ask_in_this_process(service, platform.apps["catalogue"], localstripe_url)
        platform.apps[name] = service.api()
        platform.clients[name] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=platform.apps[name]), base_url=f"http://{name}"
        )
    await demo.seed_schools(platform.services["orders"])
    await seed_catalogue_schools(platform.services["catalogue"])
    for name in workers:
        await platform.start_worker(name)
    return platform


def ask_in_this_process(
    orders: Service[Any], catalogue: FastAPI, localstripe_url: str = ""
) -> None:
    """Orders (its API and its worker) asks the catalogue for each line's quote here, in this
    process; and takes card payments through localstripe, if given, in place of Stripe."""
    settings = settings_of(orders, OrdersSettings)
    if port := urlsplit(localstripe_url).port:
        settings.localstripe_port = port
    client = catalogue_client(
        "http://catalogue",
        provider=tracer_provider("orders"),
        transport=SeparateProcessTransport(app=catalogue),
    )
    orders.parties = orders_bootstrap.parties(settings, catalogue=client)


async def reset_streams(nats_url: str) -> None:
    """Each test starts from empty streams, so no durable consumer replays an older test."""
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        for producer in PRODUCERS:
            with contextlib.suppress(NotFoundError):
                await jetstream.delete_stream(producer.upper())
    finally:
        await connection.close()


def settings_of(service: Service[Any], kind: type[S]) -> S:
    """The service's settings as its own kind (its definition holds them as ServiceSettings)."""
    settings = service.settings
    assert isinstance(settings, kind), f"{type(settings).__name__} is not {kind.__name__}"
    return settings


async def eventually(check: Callable[[], Awaitable[T | None]], *, timeout: float = 15.0) -> T:
    """Poll until `check` returns a truthy value without raising; return that value."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            result = await check()
            if result:
                return result
        except AssertionError as error:
            last_error = error
        await asyncio.sleep(0.05)
    if last_error:
        raise last_error
    raise AssertionError("condition not met in time")
