"""A parked event can be re-driven once what stopped it is put right: applied by the
subscription that parked it, exactly once, and its dead letter removed; one that fails again
stays, and says why."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from services import cli, registry
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.events import Envelope, InvoiceRaisedV1
from shared.messaging.alarms import park
from shared.messaging.consumer import Subscription
from shared.messaging.redrive import redrive
from shared.service import Service
from tests.integration.test_delivery_guarantees import ledger_transactions
from tests.support.databases import DatabaseFactory
from tests.support.event_delivery import dead_letters
from tests.support.events import invoice_raised
from tests.support.platform import Platform


def invoices_subscription(ledger: Service[Any]) -> Subscription:
    return next(s for s in ledger.subscriptions().all if s.event_type is InvoiceRaisedV1)


async def parked(ledger: Service[Any], envelope: Envelope[Any], *, consumer: str) -> None:
    await park(
        ledger.sessions,
        ledger.definition.tables,
        event_id=str(envelope.event_id),
        subject=envelope.type,
        consumer=consumer,
        deliveries=5,
        error="ConnectionError('the card gateway was away')",
        body=envelope.model_dump_json(),
    )


async def test_a_parked_event_re_driven_is_applied_once_and_its_letter_removed(
    platform: Platform,
) -> None:
    ledger = platform.services["ledger"]
    subscriptions = ledger.subscriptions().all
    durable = invoices_subscription(ledger).durable
    envelope = invoice_raised(net_pence=40_000)
    await parked(ledger, envelope, consumer=durable)

    [outcome] = await redrive(ledger.sessions, ledger.definition.tables, subscriptions)

    assert outcome.cleared and outcome.event_id == str(envelope.event_id)
    [transaction] = await ledger_transactions(platform)
    assert transaction["source_event_id"] == str(envelope.event_id)
    assert await dead_letters(ledger) == []

    # Parked twice (two workers gave up on two deliveries), re-driven again: not posted twice.
    await parked(ledger, envelope, consumer=durable)
    [again] = await redrive(ledger.sessions, ledger.definition.tables, subscriptions)
    assert again.cleared and "applied before" in again.said
    assert len(await ledger_transactions(platform)) == 1
    assert await dead_letters(ledger) == []


async def test_a_parked_event_that_fails_again_stays_parked_and_says_why(
    platform: Platform,
) -> None:
    ledger = platform.services["ledger"]
    still_poisoned, other = invoice_raised(net_pence=666), invoice_raised(net_pence=100)
    durable = invoices_subscription(ledger).durable

    async def refuses(_uow: LedgerUnitOfWork, _envelope: Envelope[Any]) -> None:
        raise ValueError("a rule this event still breaks")

    failing = Subscription("ledger", InvoiceRaisedV1, ledger.unit_of_work, refuses)
    await parked(ledger, still_poisoned, consumer=durable)
    await parked(ledger, other, consumer="someone-else--orders_invoice_raised_v1")
    [first, second] = await dead_letters(ledger)

    outcomes = await redrive(ledger.sessions, ledger.definition.tables, [failing], letter=first.id)

    assert [(o.letter, o.cleared) for o in outcomes] == [(first.id, False)]
    assert "a rule this event still breaks" in outcomes[0].said
    assert await ledger_transactions(platform) == []
    assert [row.id for row in await dead_letters(ledger)] == [first.id, second.id]
    [unknown] = await redrive(
        ledger.sessions, ledger.definition.tables, [failing], letter=second.id
    )
    assert not unknown.cleared and "subscribes no someone-else" in unknown.said


async def test_a_letter_that_can_never_be_applied_is_dropped_only_when_asked_and_alone(
    platform: Platform,
) -> None:
    """A body that is not the event, or a letter of a subscription the service no longer has,
    would keep the alarm up for ever: asked to, redrive drops it (saying so), and never a
    letter whose event could still be applied."""
    ledger = platform.services["ledger"]
    durable = invoices_subscription(ledger).durable
    tables = ledger.definition.tables
    still_failing = invoice_raised(net_pence=666)
    await park(
        ledger.sessions,
        tables,
        event_id="garbage-1",
        subject="orders.invoice.raised.v1",
        consumer=durable,
        deliveries=1,
        error="ValidationError",
        body='{"not": "an event"}',
    )
    await parked(ledger, invoice_raised(net_pence=100), consumer="ledger--gone_v1")

    async def refuses(_uow: LedgerUnitOfWork, _envelope: Envelope[Any]) -> None:
        raise ValueError("a rule this event still breaks")

    failing = Subscription("ledger", InvoiceRaisedV1, ledger.unit_of_work, refuses)
    await parked(ledger, still_failing, consumer=durable)

    kept = await redrive(ledger.sessions, tables, [failing])
    assert [outcome.cleared for outcome in kept] == [False, False, False]
    assert [outcome.said.endswith("--drop-unappliable removes it)") for outcome in kept] == [
        True,
        True,
        False,
    ]
    assert len(await dead_letters(ledger)) == 3

    outcomes = await redrive(ledger.sessions, tables, [failing], drop_unappliable=True)

    assert [(o.event_id, o.cleared) for o in outcomes] == [
        ("garbage-1", True),
        (outcomes[1].event_id, True),
        (str(still_failing.event_id), False),
    ]
    assert outcomes[0].said.startswith("dropped, never applied: its body is not a InvoiceRaisedV1")
    assert outcomes[1].said.startswith(
        "dropped, never applied: this service subscribes no ledger--gone_v1"
    )
    assert [row.event_id for row in await dead_letters(ledger)] == [str(still_failing.event_id)]
    assert await ledger_transactions(platform) == []


def test_the_redrive_command_says_what_became_of_each_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/ledger.db")
    cli.main(["migrate", "ledger"])
    ledger = registry.service("ledger")
    envelope = invoice_raised(net_pence=40_000)

    async def park_it() -> None:
        await parked(ledger, envelope, consumer=invoices_subscription(ledger).durable)
        await ledger.engine.dispose()

    asyncio.run(park_it())
    capsys.readouterr()

    cli.main(["redrive", "ledger"])
    assert capsys.readouterr().out == (
        f"dead letter 1 (orders.invoice.raised.v1 {envelope.event_id}): applied, and removed\n"
    )
    cli.main(["redrive", "ledger"])
    assert capsys.readouterr().out == "ledger: no dead letter\n"


def test_a_redrive_of_a_letter_that_is_not_there_says_so_and_fails(
    databases: DatabaseFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An id mistyped, or a letter another engineer already cleared: the command used to say
    nothing had gone wrong (status 0), and a script went on as if the event were applied."""
    monkeypatch.setenv("LEDGER_DATABASE_URL", asyncio.run(databases.new("ledger")))
    cli.main(["migrate", "ledger"])
    capsys.readouterr()

    with pytest.raises(SystemExit) as stopped:
        cli.main(["redrive", "ledger", "--letter", "7"])
    told = capsys.readouterr()
    assert stopped.value.code == 1
    assert told.err == "ledger: no dead letter 7\n"
    assert not told.out
