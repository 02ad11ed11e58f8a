"""No event applied twice, none lost: JetStream de-duplication, the inbox, and redelivery."""

from __future__ import annotations

from typing import Any

from faststream.nats import NatsBroker

from services.ledger.application.handlers import post_event
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.auth import Role
from shared.events import Envelope, InvoiceRaisedV1
from shared.messaging.consumer import subscribe
from shared.messaging.streams import ensure_streams
from tests.support.events import invoice_raised, publish_raw
from tests.support.platform import Platform, auth, eventually

FINANCE = auth(Role.FINANCE)


async def ledger_transactions(platform: Platform) -> list[dict[str, Any]]:
    response = await platform.ledger.get("/transactions", headers=FINANCE)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_same_message_id_twice_is_dropped_by_the_stream(platform: Platform) -> None:
    envelope = invoice_raised()
    assert await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))
    assert not await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))

    (transaction,) = await eventually(lambda: ledger_transactions(platform))
    assert transaction["source_event_id"] == str(envelope.event_id)


async def test_an_event_delivered_twice_is_applied_once(platform: Platform) -> None:
    envelope = invoice_raised(net_pence=12_345)
    # Two different message ids: JetStream delivers both, as after the duplicate window.
    assert await publish_raw(platform.nats_url, envelope, msg_id="first-delivery")
    assert await publish_raw(platform.nats_url, envelope, msg_id="second-delivery")
    marker = invoice_raised(net_pence=1)
    await publish_raw(platform.nats_url, marker, msg_id=str(marker.event_id))

    transactions = await eventually(
        lambda: _when(ledger_transactions(platform), lambda found: len(found) >= 2)
    )
    assert sorted(t["source_event_id"] for t in transactions) == sorted(
        [str(envelope.event_id), str(marker.event_id)]
    )
    balances = (await platform.ledger.get("/balances", headers=FINANCE)).json()
    receivable = next(row for row in balances if row["code"] == "receivables:schools")
    assert receivable["balance_pence"] == 12_345 + 2_469 + 1  # one invoice of each, not two


async def test_a_handler_that_raises_is_redelivered_and_then_applied_once(
    platform: Platform,
) -> None:
    await platform.stop_worker("ledger")  # only the flaky consumer below may post
    ledger = platform.services["ledger"]
    attempts: list[str] = []

    async def fails_the_first_time(uow: LedgerUnitOfWork, envelope: Envelope[Any]) -> None:
        attempts.append(str(envelope.event_id))
        if len(attempts) == 1:
            raise ConnectionError("the database went away before the ack")
        await post_event(uow, envelope, today=ledger.clock.today())

    await ensure_streams(platform.nats_url)
    broker = NatsBroker(platform.nats_url)
    subscribe(
        broker,
        consumer="flaky-ledger",
        event_type=InvoiceRaisedV1,
        uow_factory=ledger.unit_of_work,
        apply=fails_the_first_time,
    )
    await broker.start()
    try:
        envelope = invoice_raised(net_pence=50_000)
        await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))
        (transaction,) = await eventually(lambda: ledger_transactions(platform))
    finally:
        await broker.stop()

    assert attempts == [str(envelope.event_id)] * 2
    assert transaction["source_event_id"] == str(envelope.event_id)
    assert sum(p["amount_pence"] for p in transaction["postings"]) == 0


async def _when(found: Any, condition: Any) -> Any:
    value = await found
    return value if condition(value) else None
