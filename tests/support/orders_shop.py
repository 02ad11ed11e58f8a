"""Orders in a real setting for tests: the platform (real databases, real NATS JetStream) with
orders asking the catalogue for quotes, and localstripe, started here, behind the real `stripe`
SDK. Webhooks are signed here exactly as Stripe signs them, or sent by localstripe itself."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
import stripe
import uvicorn
from sqlalchemy import select

from services.orders.adapters.catalogue_client import CatalogueClient, catalogue_client
from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.adapters.tables import messaging
from services.orders.config import LOCAL_WEBHOOK_SECRET
from services.seed.demo_trust import DEMO_TRUST_CODE, DEMO_TRUST_NAME
from shared.auth import Role
from shared.bus import MessageBus
from shared.clock import Clock
from shared.telemetry import tracer_provider
from tests.support.card_payments import TEST_CARD, confirm_with_card, stripe_client
from tests.support.databases import DatabaseFactory
from tests.support.held import HeldTransport, RefusingStripe
from tests.support.nats_server import free_port
from tests.support.platform import (
    ABBOTS_LANGLEY,
    Platform,
    SeparateProcessTransport,
    auth,
    eventually,
    start_platform,
)

SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)
CATALOGUE_ADMIN = auth(Role.CATALOGUE_ADMIN)
FINANCE = auth(Role.FINANCE)
ADMIN = auth(Role.ADMIN)


class LocalStripe:
    """localstripe in its own process, on 127.0.0.1 only, from scratch."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> LocalStripe:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "services.orders.localstripe", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return self
            time.sleep(0.05)
        raise RuntimeError("localstripe did not start")

    def stop(self) -> None:
        if self._process:
            self._process.terminate()
            self._process.wait(timeout=10)

    def client(self) -> stripe.StripeClient:
        """The SDK as the browser's side of a payment would drive it (confirming)."""
        return stripe_client(self.url)

    async def confirm_with_card(self, reference: str, card: str = TEST_CARD) -> str:
        """What Stripe's Payment Element does in the browser: attach a card and confirm."""
        return await confirm_with_card(self.client(), reference, card)

    async def register_webhook(self, url: str) -> None:
        from services.orders.localstripe import register_webhook

        await register_webhook(self.url, url=url, secret=LOCAL_WEBHOOK_SECRET)


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    server = LocalStripe().start()
    yield server
    server.stop()


@dataclass
class Shop:
    platform: Platform
    stripe: LocalStripe

    @property
    def orders(self) -> httpx.AsyncClient:
        return self.platform.orders

    def set_day(self, day: date | None) -> None:
        """Orders (its API and its worker) and the catalogue it buys from on a day, or at a
        moment, of the test's choosing (None: the system's clock): a catalogue on the system's
        day would quote, and check prices and sessions, for another year than the test's."""
        for name in ("orders", "catalogue"):
            self.platform.services[name].clock.set(day)

    def use_gateway(self, gateway: StripeGateway | None) -> None:
        """The orders API asking another card processor (one out of reach, say); None: its own."""
        self.use_parties(**({"gateway": gateway} if gateway is not None else {}))

    def use_parties(self, **parties: object) -> None:
        """The orders API asking other outside parties (a slow catalogue, say) in place of its
        own; none given: its own again."""
        orders = self.platform.services["orders"]
        self.platform.apps["orders"].state.bus = (
            self.bus(clock=None, **parties) if parties else orders.bus
        )

    def bus(self, *, clock: Clock | None = None, **parties: object) -> MessageBus[Any]:
        """Orders' bus asking `parties` in place of its own, on `clock` (else orders' own)."""
        orders = self.platform.services["orders"]
        return MessageBus(
            unit_of_work=orders.unit_of_work,
            clock=clock or orders.clock,
            commands=orders.definition.commands,
            events=orders.definition.events,
            dependencies={"settings": orders.settings, **orders.parties, **parties},
        )

    @asynccontextmanager
    async def orders_worker_asking(self, **parties: object) -> AsyncIterator[None]:
        """Orders' worker (its consumers and its jobs) asking `parties` (a held Stripe, say) in
        place of its own while inside; its own again after."""
        orders = self.platform.services["orders"]
        own = orders.bus
        await self.platform.stop_worker("orders")
        orders.bus = self.bus(clock=None, **parties)
        await self.platform.start_worker("orders")
        try:
            yield
        finally:
            await self.platform.stop_worker("orders")
            orders.bus = own
            await self.platform.start_worker("orders")

    def held_catalogue(self) -> HeldTransport:
        """The orders API asking the catalogue through a gate the test holds shut."""
        held = HeldTransport(SeparateProcessTransport(app=self.platform.apps["catalogue"]))
        client = catalogue_client(
            "http://catalogue", provider=tracer_provider("orders"), transport=held
        )
        self.use_parties(catalogue=CatalogueClient(client))
        return held

    async def demo_trust_discount(self, percent: int) -> None:
        """The demo trust's price list: `percent` off every school's price."""
        listed = await self.platform.catalogue.put(
            f"/trusts/{DEMO_TRUST_CODE}/price-list",
            json={"trust_name": DEMO_TRUST_NAME, "discount_percent": percent},
            headers=CATALOGUE_ADMIN,
        )
        assert listed.status_code == 200, listed.text

    async def service(self, **overrides: Any) -> dict[str, Any]:
        """A published service in the catalogue (a fixed price unless `prices` says otherwise;
        a subscription sold by the academic year unless `term` says otherwise)."""
        body = {
            "code": f"SVC-{uuid.uuid4().hex[:6].upper()}",
            "title": "Governance review",
            "service_type": "consultancy",
            "category": "Governance",
            "unit_price_pence": 65_000,
            "vat_rate": "standard",
            **overrides,
        }
        if body["service_type"] == "subscription":
            body.setdefault("term", "academic_year")
        created = await self.platform.catalogue.post(
            "/services", json=body, headers=CATALOGUE_ADMIN
        )
        assert created.status_code == 201, created.text
        published = await self.platform.catalogue.post(
            f"/services/{created.json()['id']}/publish", headers=CATALOGUE_ADMIN
        )
        assert published.status_code == 200, published.text
        return dict(published.json())

    async def keep_prices_from(self, service_id: str, first_day: str) -> None:
        """The catalogue team sets a service's price list for the year from `first_day` (a day
        to come) at its prices so far: a year to come is sold only once its list is set."""
        service = await self.platform.catalogue.get(
            f"/services/{service_id}", headers=CATALOGUE_ADMIN
        )
        assert service.status_code == 200, service.text
        prepared = await self.platform.catalogue.put(
            f"/services/{service_id}/prices",
            json={
                "prices": service.json()["prices"],
                "vat_rate": service.json()["vat_rate"],
                "effective_from": first_day,
            },
            headers=CATALOGUE_ADMIN,
        )
        assert prepared.status_code == 200, prepared.text
        upcoming = [version["effective_from"] for version in prepared.json()["upcoming_prices"]]
        assert first_day in upcoming, prepared.text

    async def payroll_service(self, **overrides: Any) -> dict[str, Any]:
        """A published rolling service, renewed each term (£450 unless `overrides` say else)."""
        return await self.service(
            **{
                "title": "Payroll bureau",
                "service_type": "rolling",
                "category": "HR",
                "unit_price_pence": 45_000,
                "renews_every": "term",
                **overrides,
            }
        )

    async def session(self, service_id: str, *, starts_on: str, capacity: int) -> dict[str, Any]:
        created = await self.platform.catalogue.post(
            f"/services/{service_id}/sessions",
            json={
                "starts_on": starts_on,
                "venue": "Training centre, Stevenage",
                "capacity": capacity,
            },
            headers=CATALOGUE_ADMIN,
        )
        assert created.status_code == 201, created.text
        return dict(created.json())

    async def add(
        self, service_id: str, quantity: int = 1, *, urn: int = ABBOTS_LANGLEY, **extra: Any
    ) -> dict[str, Any]:
        added = await self.orders.post(
            f"/baskets/{urn}/lines",
            json={"service_id": service_id, "quantity": quantity, **extra},
            headers=auth(Role.SCHOOL, urn),
        )
        assert added.status_code == 201, added.text
        return dict(added.json())

    async def checkout(
        self, method: str = "invoice", *, urn: int = ABBOTS_LANGLEY, key: str | None = None
    ) -> httpx.Response:
        return await self.orders.post(
            f"/baskets/{urn}/checkout",
            json={
                "payment_method": method,
                "purchase_order": "PO-2026-117" if method == "invoice" else None,
            },
            headers={**auth(Role.SCHOOL, urn), "Idempotency-Key": key or uuid.uuid4().hex},
        )

    async def buy(
        self,
        service_id: str,
        method: str = "invoice",
        quantity: int = 1,
        *,
        urn: int = ABBOTS_LANGLEY,
        **extra: Any,
    ) -> dict[str, Any]:
        await self.add(service_id, quantity, urn=urn, **extra)
        placed = await self.checkout(method, urn=urn)
        assert placed.status_code == 201, placed.text
        return dict(placed.json())

    async def fulfil(self, order_id: str) -> dict[str, Any]:
        """Staff record the order as delivered (`orders.order.fulfilled.v1`)."""
        fulfilled = await self.orders.post(f"/orders/{order_id}/fulfil", headers=ADMIN)
        assert fulfilled.status_code == 200, fulfilled.text
        return dict(fulfilled.json())

    async def order(self, order_id: str) -> dict[str, Any]:
        found = await self.orders.get(f"/orders/{order_id}", headers=ADMIN)
        assert found.status_code == 200, found.text
        return dict(found.json())

    async def refunds_settled(self, order_id: str) -> list[dict[str, Any]]:
        """The order's refunds, once none is still being asked of Stripe: waited for (the
        worker's job asks for those a change made on hearing an event recorded)."""

        async def settled() -> list[dict[str, Any]] | None:
            listed = await self.orders.get(
                "/refunds", params={"order_id": order_id}, headers=FINANCE
            )
            found: list[dict[str, Any]] = listed.json()
            return found if found and all(r["status"] != "asked" for r in found) else None

        return await eventually(settled)

    async def outbox(self, subject: str, *, service: str = "orders") -> list[dict[str, Any]]:
        """The payloads the service (orders, else) recorded under a subject, oldest first."""
        async with self.platform.services[service].sessions() as session:
            rows = await session.execute(
                select(messaging.outbox.c.body)
                .where(messaging.outbox.c.subject == subject)
                .order_by(messaging.outbox.c.position)
            )
            return [json.loads(row.body)["payload"] for row in rows]

    async def paid_by_card(
        self, service_id: str, quantity: int = 1, **extra: Any
    ) -> dict[str, Any]:
        """A card order paid as in life: confirmed at Stripe, then Stripe's webhook, signed."""
        placed = await self.buy(service_id, "card", quantity, **extra)
        reference = placed["payment"]["reference"]
        assert await self.stripe.confirm_with_card(reference) == "succeeded"
        answer = await self.send_webhook(await self.succeeded_event(reference))
        assert answer.json() == {"result": "paid"}, answer.text
        return await self.order(placed["id"])

    @asynccontextmanager
    async def refusing_refunds(self, message: str) -> AsyncIterator[None]:
        """Stripe refusing every card refund for good while inside (the charge disputed, the
        card closed), saying `message`."""
        async with RefusingStripe(self.stripe.url, message=message) as stripe:
            self.use_gateway(stripe.gateway())
            try:
                yield
            finally:
                self.use_gateway(None)

    async def succeeded_event(self, reference: str, **overrides: Any) -> dict[str, Any]:
        """The event Stripe sends when a PaymentIntent succeeds, about the real intent."""
        intent = await self.stripe.client().v1.payment_intents.retrieve_async(reference)
        return stripe_event("payment_intent.succeeded", intent.to_dict(), **overrides)

    async def send_webhook(
        self,
        event: dict[str, Any],
        *,
        secret: str = LOCAL_WEBHOOK_SECRET,
        timestamp: int | None = None,
        body: bytes | None = None,
    ) -> httpx.Response:
        payload = json.dumps(event).encode()
        header = stripe.WebhookSignature.generate_signature_header(
            payload.decode(), secret, timestamp=timestamp or int(time.time())
        )
        return await self.orders.post(
            "/stripe/webhook",
            content=body if body is not None else payload,
            headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        )


def stripe_event(event_type: str, data_object: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
        "data": {"object": data_object},
        **overrides,
    }


async def open_shop(
    databases: DatabaseFactory,
    nats_url: str,
    localstripe: LocalStripe,
    *,
    workers: tuple[str, ...] = ("catalogue", "orders"),
) -> Shop:
    platform = await start_platform(
        databases, nats_url, workers=workers, localstripe_url=localstripe.url
    )
    return Shop(platform, localstripe)


async def close_shop(shop: Shop) -> None:
    await shop.platform.close()


@pytest.fixture
async def shop(
    databases: DatabaseFactory, nats_url: str, localstripe: LocalStripe
) -> AsyncIterator[Shop]:
    opened = await open_shop(databases, nats_url, localstripe)
    yield opened
    await close_shop(opened)


@pytest.fixture
async def quiet_shop(
    databases: DatabaseFactory, nats_url: str, localstripe: LocalStripe
) -> AsyncIterator[Shop]:
    """The shop without orders' worker: no job of its asks Stripe for a refund behind the
    test's back (the test runs the job, as `finish_asked_refunds`, when it means to)."""
    opened = await open_shop(databases, nats_url, localstripe, workers=("catalogue",))
    yield opened
    await close_shop(opened)


@asynccontextmanager
async def served_over_http(shop: Shop) -> AsyncIterator[str]:
    """The orders API on a real port, so localstripe can post its webhooks to it."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            shop.platform.apps["orders"],
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: _started(server), timeout=10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def _started(server: uvicorn.Server) -> bool:
    return bool(server.started)
