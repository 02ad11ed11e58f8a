"""The platform's events carried by hand between apps that run without relays or workers (see
`api_fuzzing.platform_apps`): each app's own relay reads its outbox, and in place of NATS every
app that subscribes to an event applies it, once, as its worker would."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Collection

from fastapi import FastAPI

from shared.db import session_factory
from shared.events.base import envelope_of
from shared.messaging.consumer import apply_once
from shared.messaging.relay import OutboxRelay, Publish


async def carry_events(apps: Collection[FastAPI]) -> int:
    """Carry every event the apps' outboxes hold unsent, and those that applying them records
    in turn, until none is left; how many were carried."""
    relays = [_relay(app, apps) for app in apps]
    carried = 0
    while sent := sum([await relay.relay_once() for relay in relays]):
        carried += sent
    return carried


def relay_of(app: FastAPI, publish: Publish) -> OutboxRelay:
    """A relay of the app's own outbox, publishing with `publish`."""
    return OutboxRelay(
        sessions=session_factory(app.state.engine),
        tables=app.state.unit_of_work().tables,
        publish=publish,
    )


def _relay(app: FastAPI, apps: Collection[FastAPI]) -> OutboxRelay:
    async def publish(body: bytes, *, subject: str, **_: object) -> Awaitable[None]:
        for subscriber in apps:
            bus = subscriber.state.bus
            for event_type in bus.events:
                if event_type.subject == subject:
                    envelope = envelope_of(event_type).model_validate_json(body)
                    await apply_once(
                        envelope, uow_factory=subscriber.state.unit_of_work, apply=bus.apply
                    )
        return asyncio.sleep(0)  # acknowledged: it is applied already

    return relay_of(app, publish)
