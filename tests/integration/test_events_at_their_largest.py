"""Every consumer applies every event its contract allows, at its largest: each text at its
longest, each number at its largest, each date at the first or the last day the business can
mean (tests/support/largest_events.py builds them from the contracts, so a new event or field is
covered as it is added). A consumer composes such texts into its own (a transaction's
description, a delivery to rate) and keeps them in columns of fixed width: on PostgreSQL one
longer than its column is refused, and the event, retried and parked, loses its effect (a
ledger posting never made). And at its smallest: each number at its least (a quantity of
one, pence of nothing), each text at its shortest, each optional field left out, each list as
short as it may be, which a consumer must not divide by, index into or read as present."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import nats
import pytest
from sqlalchemy import Table, func, select

from services.evaluation.adapters.tables import rating_invitations
from services.ledger.adapters.tables import transactions
from services.ledger.application.money_events import POSTING_RULES
from shared.events import ALL_EVENTS, DeploymentCompletedV1, Envelope, OrderFulfilledV1
from tests.support.event_delivery import dead_letters
from tests.support.largest_events import End, Size, largest_envelope
from tests.support.platform import Platform, eventually

ENDS: tuple[End, ...] = ("last", "first")
SIZES: tuple[Size, ...] = ("largest", "smallest")

Effect = Callable[[Platform, Envelope[Any]], Awaitable[bool]]


async def _counted(platform: Platform, service: str, table: Table, where: Any) -> int:
    async with platform.services[service].sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table).where(where)) or 0)


async def _posted(platform: Platform, envelope: Envelope[Any]) -> bool:
    """The ledger posted the money event: a transaction caused by it is in the book."""
    caused = transactions.c.source_event_id == str(envelope.event_id)
    return await _counted(platform, "ledger", transactions, caused) > 0


async def _to_rate(platform: Platform, envelope: Envelope[Any]) -> bool:
    """Evaluation invites the school to rate what was delivered."""
    payload = envelope.payload
    source_id = getattr(payload, "deployment_id", None) or payload.order_id
    invited = rating_invitations.c.source_id == source_id
    return await _counted(platform, "evaluation", rating_invitations, invited) > 0


# What applying an event leaves behind, where a consumer's effect is a row we can point at
# (beside every consumer's inbox, which holds each event it applied).
EFFECTS: dict[tuple[str, type[Any]], Effect] = {
    **{("ledger", event): _posted for event in POSTING_RULES},
    ("evaluation", DeploymentCompletedV1): _to_rate,
    ("evaluation", OrderFulfilledV1): _to_rate,
}


async def _applied(platform: Platform, service: str, envelopes: list[Envelope[Any]]) -> set[str]:
    found = platform.services[service]
    inbox = found.definition.tables.inbox
    ids = [str(envelope.event_id) for envelope in envelopes]
    async with found.sessions() as session:
        return set(
            (await session.scalars(select(inbox.c.event_id).where(inbox.c.event_id.in_(ids)))).all()
        )


async def _publish(platform: Platform, envelopes: list[Envelope[Any]]) -> None:
    connection = await nats.connect(platform.nats_url)
    try:
        jetstream = connection.jetstream()
        for envelope in envelopes:
            await jetstream.publish(
                envelope.type,
                envelope.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(envelope.event_id)},
            )
    finally:
        await connection.close()


def _failures(caplog: pytest.LogCaptureFixture, envelopes: list[Envelope[Any]]) -> list[str]:
    """What a consumer said when one of these events failed (it is retried, then parked)."""
    named = {str(envelope.event_id): envelope.type for envelope in envelopes}
    return sorted(
        {
            f"{named[event_id]}: {record.getMessage()}"
            for record in caplog.records
            if record.levelno >= logging.WARNING
            for event_id in named
            if event_id in record.getMessage()
        }
    )


def _moves_nothing(envelope: Envelope[Any]) -> bool:
    """A money event of no pence (every amount it names nothing, or left out): the ledger
    applies it and, by design, posts nothing."""
    payload = envelope.payload
    return not any(getattr(payload, name) for name in type(payload).model_fields if "pence" in name)


async def test_every_consumer_applies_every_event_at_its_largest_and_its_smallest(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    envelopes = [
        largest_envelope(event, end=end, size=size)
        for size in SIZES
        for end in ENDS
        for event in ALL_EVENTS
    ]
    expected = {
        name: [
            envelope
            for envelope in envelopes
            if type(envelope.payload) in service.definition.events
        ]
        for name, service in platform.services.items()
    }
    assert all(expected.values()), "every service consumes some event"

    with caplog.at_level(logging.WARNING):
        await _publish(platform, envelopes)

        async def all_applied() -> bool:
            if failed := _failures(caplog, envelopes):  # retried, then parked: stop now
                pytest.fail("events refused:\n" + "\n".join(failed))
            for name, wanted in expected.items():
                missing = {str(e.event_id) for e in wanted} - await _applied(platform, name, wanted)
                if missing:
                    return False
            return True

        await eventually(all_applied, timeout=60)

    for name, service in platform.services.items():
        assert await dead_letters(service) == [], name
    for (name, event), effect in EFFECTS.items():
        for envelope in expected[name]:
            if isinstance(envelope.payload, event) and not _moves_nothing(envelope):
                assert await effect(platform, envelope), f"{name} left no trace of {envelope.type}"
