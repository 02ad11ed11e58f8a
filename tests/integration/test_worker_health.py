"""A worker's /healthz tells the truth: a part of it that has died (a consumer, its relay, a
job) makes it answer 503 naming that part, so that its liveness probe restarts it, instead of
a process that answers "ok" while the events it should apply pile up."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from shared.events import Envelope, InvoiceRaisedV1
from shared.messaging.batches import BatchedConsumer
from shared.messaging.connection import JetStreamLink
from shared.messaging.consumer import Subscription
from shared.messaging.worker import Worker
from shared.metrics_server import serve_metrics
from tests.support.consumers import QUICK
from tests.support.events import invoice_raised, publish_raw
from tests.support.platform import Platform, eventually


async def test_a_worker_whose_consumer_died_is_not_healthy(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    await platform.stop_worker("ledger")  # it would apply the event first: one inbox
    ledger = platform.services["ledger"]

    async def leaks_a_cancellation(_uow: Any, _envelope: Envelope[Any]) -> None:
        # As a driver may: a cancellation of its own, not the worker being stopped.
        raise asyncio.CancelledError

    subscription = Subscription(
        "dying-ledger", InvoiceRaisedV1, ledger.unit_of_work, leaks_a_cancellation
    )
    consumer = BatchedConsumer(
        subscription, policy=QUICK, sessions=ledger.sessions, tables=ledger.definition.tables
    )
    link = JetStreamLink(ledger.settings.nats_url)
    worker = Worker(
        name="ledger", link=link, consumers=[consumer], relay=ledger.relay(link.publish)
    )
    await worker.start()
    server = await serve_metrics(
        "127.0.0.1", 0, sample=ledger.read_figures, health=worker.stopped_parts
    )
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            with caplog.at_level(logging.ERROR, logger="shared.messaging.parts"):
                envelope = invoice_raised()
                await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))

                async def failing() -> httpx.Response | None:
                    answer = await client.get("/healthz")
                    return answer if answer.status_code != 200 else None

                answer = await eventually(failing)
        assert answer.status_code == 503
        assert answer.json() == {"status": "failing", "stopped": [subscription.durable]}
        assert f"{subscription.durable} stopped" in caplog.text
    finally:
        server.close()
        await server.wait_closed()
        await worker.stop()
