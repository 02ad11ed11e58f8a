"""The catalogue on its own (a real database, no NATS), and events for it built by hand."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import httpx
from sqlalchemy import func, select

from services import registry
from services.catalogue.adapters.tables import messaging
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.seed.catalogue import seed_catalogue_schools
from shared.auth import Role
from shared.events import OrderCancelledV1, OrderPlacedV1
from shared.events.orders import OrderLineV1
from shared.money import Strand, VatRate
from shared.service import Service
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, auth
from tests.support.tariffs import banded, flat

ADMIN = auth(Role.CATALOGUE_ADMIN)
SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)
WATFORD_GRAMMAR_BOYS = 136276  # an academy converter, 1,610 on roll
ASHWELL_PUPILS = 228


@dataclass
class Catalogue:
    service: Service[CatalogueUnitOfWork]
    client: httpx.AsyncClient

    async def outbox(self) -> list[str]:
        """The subjects of the events recorded so far, oldest first."""
        async with self.service.sessions() as session:
            rows = await session.execute(
                select(messaging.outbox.c.subject).order_by(messaging.outbox.c.position)
            )
            return [row.subject for row in rows]

    async def announced(self) -> list[tuple[str, dict[str, Any]]]:
        """The subject and payload of each event recorded so far, oldest first."""
        async with self.service.sessions() as session:
            rows = await session.execute(
                select(messaging.outbox.c.subject, messaging.outbox.c.body).order_by(
                    messaging.outbox.c.position
                )
            )
            return [(row.subject, json.loads(row.body)["payload"]) for row in rows]

    async def published_events(self) -> dict[str, dict[str, Any]]:
        """The payload of each service's publication, by service code."""
        async with self.service.sessions() as session:
            rows = await session.execute(
                select(messaging.outbox.c.body).where(
                    messaging.outbox.c.subject == "catalogue.service.published.v1"
                )
            )
            payloads = [json.loads(row.body)["payload"] for row in rows]
        return {payload["code"]: payload for payload in payloads}

    async def count(self, table: Any) -> int:
        async with self.service.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(table)) or 0)

    async def create(self, **overrides: Any) -> dict[str, Any]:
        body = {
            "code": "SIP-PRI",
            "title": "School improvement partner package (primary)",
            "service_type": "subscription",
            "category": "School improvement",
            "prices": {
                "maintained": banded({0: 250000, 201: 325000, 401: 410000}),
                "academy": banded({0: 275000, 201: 355000, 401: 445000}),
                "out_of_area": flat(400000),
            },
            **overrides,
        }
        created = await self.client.post("/services", json=body, headers=ADMIN)
        assert created.status_code == 201, created.text
        return dict(created.json())

    async def published(self, **overrides: Any) -> dict[str, Any]:
        created = await self.create(**overrides)
        published = await self.client.post(f"/services/{created['id']}/publish", headers=ADMIN)
        assert published.status_code == 200, published.text
        return dict(published.json())


@asynccontextmanager
async def catalogue_on(
    databases: DatabaseFactory, *, schools: bool = True, **settings: Any
) -> AsyncIterator[Catalogue]:
    service = registry.service(
        "catalogue", database_url=await databases.new("catalogue"), environment="test", **settings
    )
    await service.migrate()
    if schools:
        await seed_catalogue_schools(service)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service.api()), base_url="http://catalogue"
    )
    try:
        yield Catalogue(service, client)
    finally:
        await client.aclose()
        await service.engine.dispose()


def course_line(service_id: UUID, session_id: UUID, places: int) -> OrderLineV1:
    return OrderLineV1(
        line_id=uuid4(),
        service_id=service_id,
        session_id=session_id,
        title="Middle leadership programme",
        service_type="course",
        category="CPD and leadership",
        price_version=1,
        quantity=places,
        unit_price_pence=59_500,
        vat_rate=VatRate.EXEMPT,
        net_pence=59_500 * places,
        vat_pence=0,
        gross_pence=59_500 * places,
    )


SCHOOL_FIELDS: dict[str, Any] = {
    "urn": ABBOTS_LANGLEY,
    "school_name": "Abbots Langley School",
    "phase": "Primary",
    "la_code": "919",
}


def order_placed(line: OrderLineV1, *, urn: int = ABBOTS_LANGLEY) -> OrderPlacedV1:
    return OrderPlacedV1(
        **{**SCHOOL_FIELDS, "urn": urn},
        order_id=uuid4(),
        payment_method="invoice",
        placed_on=date(2026, 11, 25),
        lines=(line,),
        strand=Strand.TRADED,
        net_pence=line.net_pence,
        vat_pence=line.vat_pence,
        gross_pence=line.gross_pence,
        financial_year="2026-27",
    )


def order_cancelled(placed: OrderPlacedV1) -> OrderCancelledV1:
    return OrderCancelledV1(
        **{**SCHOOL_FIELDS, "urn": placed.urn},
        order_id=placed.order_id,
        cancelled_on=date(2026, 11, 26),
        reason="the deputy head can no longer attend",
        lines=placed.lines,
    )
