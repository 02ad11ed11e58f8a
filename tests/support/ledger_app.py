"""The ledger on its own for tests: its real worker consuming a real NATS JetStream into a real
database, and its HTTP API over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import nats
from nats.js.errors import NotFoundError

from services import registry
from services.ledger.application.money_events import POSTING_RULES
from shared.auth import Role
from shared.events import ContractSignedV1, Event, SchoolRegisteredV1, stream_of
from shared.messaging.consumer import durable_name
from shared.messaging.worker import Worker
from shared.service import Service
from tests.support.databases import DatabaseFactory
from tests.support.platform import auth, eventually

FINANCE = auth(Role.FINANCE)


def journal(
    reference: str, description: str, on: str, *postings: tuple[str, int]
) -> dict[str, Any]:
    """The body of POST /journals: each posting an account and its pence (debit positive)."""
    lines = [{"account": account, "amount_pence": pence} for account, pence in postings]
    return {"reference": reference, "description": description, "on": on, "lines": lines}


def october_rent(reference: str) -> dict[str, Any]:
    return journal(
        reference,
        "October rent",
        "2026-10-31",
        ("core:cost:overheads", 250_000),
        ("bank", -250_000),
    )


@dataclass
class Ledger:
    service: Service[Any]
    client: httpx.AsyncClient
    worker: Worker | None

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.client.get(path, params=params, headers=FINANCE)
        assert response.status_code == 200, response.text
        return response.json()

    async def post(self, path: str, body: Any, *, status: int = 201) -> Any:
        response = await self.client.post(path, json=body, headers=FINANCE)
        assert response.status_code == status, response.text
        return response.json()

    async def transactions_reach(self, count: int) -> list[dict[str, Any]]:
        async def enough() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = await self.get("/transactions")
            assert len(found) <= count, f"{len(found)} transactions, expected {count}"
            return found if len(found) == count else []

        return await eventually(enough, timeout=30)


@asynccontextmanager
async def running_ledger(
    databases: DatabaseFactory,
    nats_url: str,
    *,
    name: str = "ledger",
    worker: bool = True,
    today: date | None = None,
) -> AsyncIterator[Ledger]:
    """The ledger, its clock set to `today` if given (its recognition job runs every 0.1 s)."""
    service = registry.service(
        "ledger",
        database_url=await databases.new(name),
        nats_url=nats_url,
        environment="test",
        outbox_poll_seconds=0.05,
        recognition_every_seconds=0.1,
    )
    service.clock.set(today)
    await service.migrate()
    running = service.worker() if worker else None
    if running:
        await running.start()
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service.api()), base_url="http://ledger"
    )
    try:
        yield Ledger(service, client, running)
    finally:
        if running:
            await running.stop()
        await client.aclose()
        await service.engine.dispose()


async def forget_ledger_consumers(nats_url: str) -> None:
    """Delete the ledger's durable consumers, so the next ledger worker reads from the start."""
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        consumed: tuple[type[Event], ...] = (*POSTING_RULES, SchoolRegisteredV1, ContractSignedV1)
        for event in consumed:
            with suppress(NotFoundError):
                await jetstream.delete_consumer(
                    stream_of(event.subject), durable_name("ledger", event.subject)
                )
    finally:
        await connection.close()
