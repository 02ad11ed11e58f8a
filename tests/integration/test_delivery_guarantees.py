"""No event applied twice, none lost: JetStream de-duplication, the inbox, redelivery, and a
poison event parked with an alarm while the rest of its batch is applied."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from uuid import uuid4

import nats
import nats.js.errors
import pytest
from prometheus_client import REGISTRY

from services.ledger.application.money_events import on_money_event
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.auth import Role
from shared.events import Envelope, InvoiceRaisedV1
from shared.messaging.batches import DeliveryPolicy
from tests.support.consumers import consuming_invoices
from tests.support.event_delivery import dead_letters
from tests.support.events import invoice_raised, publish_raw
from tests.support.platform import Platform, auth, eventually

FINANCE = auth(Role.FINANCE)


async def ledger_transactions(platform: Platform) -> list[dict[str, Any]]:
    response = await platform.ledger.get("/transactions", headers=FINANCE)
    assert response.status_code == 200, response.text
    return list(response.json())


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


async def test_an_event_delivered_again_is_not_counted_as_applied_again(
    platform: Platform,
) -> None:
    """`events_applied` counts what the inbox had not seen: a redelivery (after a crash between
    the commit and the ack, say) is acknowledged, not counted a second time."""
    await platform.stop_worker("ledger")  # its inbox is the ledger's: it would apply them first
    ledger = platform.services["ledger"]
    envelope, marker = invoice_raised(net_pence=12_345), invoice_raised(net_pence=1)
    await publish_raw(platform.nats_url, envelope, msg_id="first-delivery")
    await publish_raw(platform.nats_url, envelope, msg_id="second-delivery")
    await publish_raw(platform.nats_url, marker, msg_id=str(marker.event_id))

    async def apply(uow: LedgerUnitOfWork, delivered: Envelope[Any]) -> None:
        await on_money_event(delivered, uow=uow, today=ledger.clock.today())

    consumer = f"counted-ledger-{uuid4().hex[:8]}"

    def applied() -> float:
        labels = {"service": consumer, "subject": envelope.type}
        return REGISTRY.get_sample_value("events_applied_total", labels) or 0.0

    async with consuming_invoices(ledger, consumer, apply) as (subscription, link):

        async def all_acknowledged() -> bool | None:
            try:
                info = await link.jetstream.consumer_info(subscription.stream, subscription.durable)
            except nats.js.errors.NotFoundError:  # not bound yet
                return None
            handled = info.delivered.stream_seq >= 3 and info.num_ack_pending == 0
            return handled or None

        await eventually(all_acknowledged)
        await asyncio.sleep(0.2)  # the count follows the last ack

    assert len(await ledger_transactions(platform)) == 2
    assert applied() == 2


async def test_an_event_redelivered_after_its_worker_stopped_mid_batch_is_counted_redelivered(
    platform: Platform,
) -> None:
    """`events_redelivered` counts every delivery of an event given before: after a handler's
    failure, and after a worker that died before acknowledging it (here, stopped mid-batch)."""
    await platform.stop_worker("ledger")
    ledger = platform.services["ledger"]
    envelope = invoice_raised(net_pence=7_000)
    await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))
    consumer = f"stopped-ledger-{uuid4().hex[:8]}"
    policy = DeliveryPolicy(idle_fetch_seconds=0.5, ack_wait_seconds=1.0)
    entered = asyncio.Event()

    async def never_finishes(_uow: LedgerUnitOfWork, _envelope: Envelope[Any]) -> None:
        entered.set()
        await asyncio.Event().wait()

    async with consuming_invoices(ledger, consumer, never_finishes, policy=policy):
        await asyncio.wait_for(entered.wait(), timeout=15)

    async def apply(uow: LedgerUnitOfWork, delivered: Envelope[Any]) -> None:
        await on_money_event(delivered, uow=uow, today=ledger.clock.today())

    async with consuming_invoices(ledger, consumer, apply, policy=policy):
        (transaction,) = await eventually(lambda: ledger_transactions(platform))

    assert transaction["source_event_id"] == str(envelope.event_id)
    labels = {"service": consumer, "subject": envelope.type}
    assert REGISTRY.get_sample_value("events_redelivered_total", labels) == 1


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
        await on_money_event(envelope, uow=uow, today=ledger.clock.today())

    envelope = invoice_raised(net_pence=50_000)
    async with consuming_invoices(ledger, "flaky-ledger", fails_the_first_time):
        await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))
        (transaction,) = await eventually(lambda: ledger_transactions(platform))

    assert attempts == [str(envelope.event_id)] * 2
    assert transaction["source_event_id"] == str(envelope.event_id)
    assert sum(p["amount_pence"] for p in transaction["postings"]) == 0


async def test_a_poison_event_is_parked_with_an_alarm_and_the_rest_of_its_batch_applied(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    await platform.stop_worker("ledger")
    ledger = platform.services["ledger"]
    good_before, poison, good_after = (invoice_raised(net_pence=n) for n in (100, 666, 300))
    tries: list[str] = []

    async def chokes_on_the_poison(uow: LedgerUnitOfWork, envelope: Envelope[Any]) -> None:
        tries.append(str(envelope.event_id))
        if envelope.event_id == poison.event_id:
            raise ValueError("a rule this event breaks")
        await on_money_event(envelope, uow=uow, today=ledger.clock.today())

    for envelope in (good_before, poison, good_after):  # waiting, so they come as one batch
        await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))
    policy = DeliveryPolicy(max_deliveries=2, backoff_seconds=(0.2,), idle_fetch_seconds=0.5)
    with caplog.at_level(logging.ERROR, logger="shared.messaging.alarms"):
        async with consuming_invoices(
            ledger, "poisoned-ledger", chokes_on_the_poison, policy=policy
        ):
            posted = await eventually(
                lambda: _when(ledger_transactions(platform), lambda found: len(found) == 2)
            )
            parked = await eventually(lambda: dead_letters(ledger))

    assert sorted(t["source_event_id"] for t in posted) == sorted(
        [str(good_before.event_id), str(good_after.event_id)]
    )
    # One batch, stopped by the poison; then event by event; then the poison's second delivery.
    assert tries == [
        str(e.event_id) for e in (good_before, poison, good_before, poison, good_after, poison)
    ]
    assert [(row.event_id, row.deliveries) for row in parked] == [(str(poison.event_id), 2)]
    assert "a rule this event breaks" in parked[0].error
    assert Envelope[InvoiceRaisedV1].model_validate_json(parked[0].body) == poison
    assert str(poison.event_id) in caplog.text
    readiness = (await platform.ledger.get("/readyz")).json()
    assert readiness["status"] == "degraded"
    assert "1 event(s) parked in dead_letters" in readiness["alarms"][0]


async def test_a_body_that_is_not_an_event_is_parked_whatever_it_holds_and_the_rest_applied(
    platform: Platform,
) -> None:
    await platform.stop_worker("ledger")
    ledger = platform.services["ledger"]
    good_before, good_after = invoice_raised(net_pence=100), invoice_raised(net_pence=300)
    garbage, long_id = b"\x00not an event\x00", "x" * 300  # PostgreSQL keeps no NUL
    await publish_raw(platform.nats_url, good_before, msg_id=str(good_before.event_id))
    connection = await nats.connect(platform.nats_url)
    try:
        await connection.jetstream().publish(
            good_before.type, garbage, headers={"Nats-Msg-Id": long_id}
        )
    finally:
        await connection.close()
    await publish_raw(platform.nats_url, good_after, msg_id=str(good_after.event_id))

    async def apply(uow: LedgerUnitOfWork, envelope: Envelope[Any]) -> None:
        await on_money_event(envelope, uow=uow, today=ledger.clock.today())

    async with consuming_invoices(ledger, "garbage-ledger", apply):
        posted = await eventually(
            lambda: _when(ledger_transactions(platform), lambda found: len(found) == 2)
        )
        [parked] = await eventually(lambda: dead_letters(ledger))

    assert sorted(t["source_event_id"] for t in posted) == sorted(
        [str(good_before.event_id), str(good_after.event_id)]
    )
    assert (parked.event_id, parked.body) == ("x" * 200, "\\x00not an event\\x00")


async def _when(found: Any, condition: Any) -> Any:
    value = await found
    return value if condition(value) else None


async def test_an_idle_consumer_leaves_the_database_alone(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    """A fetch that runs out its time may bring back no messages: no transaction is begun for
    them (an empty batch once ran a failing insert under the write lock every fetch)."""
    await platform.stop_worker("ledger")  # its inbox is the ledger's: it would apply it first
    ledger = platform.services["ledger"]
    applied: list[str] = []

    async def note(_uow: LedgerUnitOfWork, envelope: Envelope[Any]) -> None:
        applied.append(str(envelope.event_id))

    policy = DeliveryPolicy(idle_fetch_seconds=0.2)
    with caplog.at_level(logging.WARNING, logger="shared.messaging"):
        async with consuming_invoices(
            ledger, f"idle-ledger-{uuid4().hex[:8]}", note, policy=policy
        ):
            await asyncio.sleep(1.5)  # several fetches run out their time
            event = invoice_raised(net_pence=100)
            await publish_raw(platform.nats_url, event, msg_id=str(event.event_id))
            await eventually(lambda: _when(asyncio.sleep(0, applied), bool))

    assert applied[-1] == str(event.event_id)
    assert "failed" not in caplog.text
