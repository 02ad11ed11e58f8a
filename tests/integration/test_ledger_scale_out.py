"""Scale out: two ledger workers share its durable consumers; every event is applied by one of
them, exactly once, and the balances the reports read add up to the events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any

import httpx
from nats.aio.msg import Msg

from services import registry
from shared.messaging.worker import Worker
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import FINANCE
from tests.support.platform import eventually, reset_streams

EVENTS = 60


def counting(worker: Worker, handled: Counter[str], name: str) -> None:
    """Count the messages each worker's consumers are handed (the workers stay as they are)."""
    for consumer in worker.consumers:
        handle = consumer.handle

        def counted(
            messages: list[Msg], handle: Callable[[list[Msg]], Coroutine[Any, Any, None]] = handle
        ) -> Coroutine[Any, Any, None]:
            handled[name] += len(messages)
            return handle(messages)

        consumer.handle = counted  # type: ignore[method-assign]


async def test_two_workers_on_one_durable_consumer_apply_every_event_exactly_once(
    databases: DatabaseFactory, nats_url: str
) -> None:
    await reset_streams(nats_url)
    service = registry.service(
        "ledger",
        database_url=await databases.new("ledger_scale_out"),
        nats_url=nats_url,
        environment="test",
        outbox_poll_seconds=0.05,
        consumer_batch_size=4,  # small batches, so that both workers get some
    )
    await service.migrate()
    workers = {"first": service.worker(), "second": service.worker()}
    handled: Counter[str] = Counter()
    for name, worker in workers.items():
        counting(worker, handled, name)
        await worker.start()
    invoices = [
        ev.invoice_raised(117083, date(2026, 11, 2), ev.line(1_000 + n), number=f"INV-{n}")
        for n in range(EVENTS)
    ]
    envelopes = [ev.envelope(invoice) for invoice in invoices]
    try:
        await ev.publish(nats_url, *envelopes)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=service.api()), base_url="http://ledger"
        ) as client:

            async def all_posted() -> list[dict[str, Any]]:
                found = (await client.get("/transactions", headers=FINANCE)).json()
                assert len(found) <= EVENTS
                return found if len(found) == EVENTS else []

            posted = await eventually(all_posted, timeout=60)
            balances = (await client.get("/balances", headers=FINANCE)).json()
    finally:
        for worker in workers.values():
            await worker.stop()
        await service.engine.dispose()

    assert sorted(t["source_event_id"] for t in posted) == sorted(
        str(envelope.event_id) for envelope in envelopes
    )
    gross = sum(invoice.lines[0].net_pence + invoice.lines[0].vat_pence for invoice in invoices)
    owed = next(row for row in balances if row["code"] == "receivables:schools")
    assert owed["balance_pence"] == gross  # read from the kept balances: each event added once
    assert handled["first"] > 0 and handled["second"] > 0
    assert handled.total() == EVENTS  # none handed out twice: each acked by the one that applied it
