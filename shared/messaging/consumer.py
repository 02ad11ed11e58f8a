"""Subscribing a service to an event: a durable pull consumer, redelivery on error, and an inbox
so that an event delivered twice is applied once, in the same transaction as its effects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from sqlalchemy.exc import IntegrityError

from shared.correlation import correlated
from shared.events.base import Envelope, Event, stream_of
from shared.uow import UnitOfWork

E = TypeVar("E", bound=Event)
U = TypeVar("U", bound=UnitOfWork)


def durable_name(consumer: str, subject: str) -> str:
    return f"{consumer}--{subject.replace('.', '_')}"


def subscribe(
    broker: NatsBroker,
    *,
    consumer: str,
    event_type: type[E],
    uow_factory: Callable[[], U],
    apply: Callable[[U, Envelope[E]], Awaitable[object]],
) -> None:
    async def handle(envelope: Any) -> None:
        await apply_once(envelope, uow_factory=uow_factory, apply=apply)

    # FastStream validates the body against the handler's annotation: the typed envelope.
    handle.__annotations__["envelope"] = Envelope[event_type]  # type: ignore[valid-type]
    handle.__name__ = f"{consumer}_on_{event_type.__name__}"
    broker.subscriber(
        event_type.subject,
        stream=JStream(stream_of(event_type.subject), declare=False),
        durable=durable_name(consumer, event_type.subject),
        # One message per fetch: a waiting fetch returns as soon as one arrives (a larger batch
        # lingers until it fills or times out), and FastStream would run a batch's messages
        # concurrently, out of order, fighting over the database's write lock.
        pull_sub=PullSub(batch_size=1, timeout=5.0),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=f"{consumer}: {event_type.subject}",
    )(handle)


async def apply_once(
    envelope: Envelope[E],
    *,
    uow_factory: Callable[[], U],
    apply: Callable[[U, Envelope[E]], Awaitable[object]],
) -> bool:
    """Apply an event unless the inbox says it already was; True if applied now."""
    with correlated(envelope.correlation_id):
        async with uow_factory() as uow:
            if await uow.has_applied(envelope.event_id):
                return False
            await uow.mark_applied(envelope)  # type: ignore[arg-type]
            await apply(uow, envelope)
            try:
                await uow.commit()
            except IntegrityError:
                if await _applied_meanwhile(uow_factory, envelope):
                    return False
                raise
            return True


async def _applied_meanwhile(uow_factory: Callable[[], U], envelope: Envelope[E]) -> bool:
    async with uow_factory() as uow:
        return await uow.has_applied(envelope.event_id)
