"""Subscribing a service to events, and applying them exactly once: a batch of deliveries in one
transaction with its inbox rows, or event by event when one of them fails, so that one event that
cannot be applied holds back no other."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlalchemy.exc import IntegrityError

from shared.audit import answering
from shared.correlation import correlated
from shared.events.base import Envelope, Event, envelope_of, stream_of
from shared.telemetry import context_from
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)
U = TypeVar("U", bound=UnitOfWork)

Apply = Callable[[Any, Envelope[Any]], Awaitable[object]]

_tracer = trace.get_tracer(__name__)  # follows the provider installed later, if any


def durable_name(consumer: str, subject: str) -> str:
    return f"{consumer}--{subject.replace('.', '_')}"


@dataclass(frozen=True)
class Subscription:
    """One event a service applies: its handler receives a unit of work and the envelope."""

    consumer: str
    event_type: type[Event]
    uow_factory: Callable[[], UnitOfWork]
    apply: Apply

    @property
    def subject(self) -> str:
        return self.event_type.subject

    @property
    def stream(self) -> str:
        return stream_of(self.subject)

    @property
    def durable(self) -> str:
        return durable_name(self.consumer, self.subject)

    def envelope(self, body: bytes) -> Envelope[Any]:
        return envelope_of(self.event_type).model_validate_json(body)  # type: ignore[no-any-return]


@dataclass
class Subscriptions:
    """What a service subscribes to: its worker consumes them, its AsyncAPI document lists them."""

    all: list[Subscription] = field(default_factory=list)


def subscribe(
    subscriptions: Subscriptions,
    *,
    consumer: str,
    event_type: type[E],
    uow_factory: Callable[[], U],
    apply: Callable[[U, Envelope[E]], Awaitable[object]],
) -> None:
    subscriptions.all.append(Subscription(consumer, event_type, uow_factory, apply))


async def apply_batch(
    envelopes: Sequence[Envelope[Any]], *, uow_factory: Callable[[], U], apply: Apply
) -> list[Exception | bool]:
    """Apply events in stream order, all in one transaction; if that fails, one by one.
    For each event: True once applied now, False if it was before (or earlier in this batch),
    or the error that stops it."""
    try:
        fresh = await _apply_together(envelopes, uow_factory=uow_factory, apply=apply)
        return _first_of(envelopes, fresh)
    except Exception as error:
        if len(envelopes) == 1:
            return [error]
        log.warning("a batch of %d events failed; applying them one by one", len(envelopes))
    outcomes: list[Exception | bool] = []
    for envelope in envelopes:
        try:
            outcomes.append(await apply_once(envelope, uow_factory=uow_factory, apply=apply))
        except Exception as error:
            outcomes.append(error)
    return outcomes


async def _apply_together(
    envelopes: Sequence[Envelope[Any]], *, uow_factory: Callable[[], U], apply: Apply
) -> set[str]:
    """The ids of the events applied now."""
    async with uow_factory() as uow:
        fresh = await uow.mark_first_applied(envelopes)
        if not fresh:
            return set()
        for envelope in fresh:
            with applying(envelope):
                await apply(uow, envelope)
        await uow.commit()
    return {str(envelope.event_id) for envelope in fresh}


def _first_of(envelopes: Sequence[Envelope[Any]], fresh: set[str]) -> list[Exception | bool]:
    """True for the first delivery of each event applied now, False for every other."""
    outcomes: list[Exception | bool] = []
    for envelope in envelopes:
        event_id = str(envelope.event_id)
        outcomes.append(event_id in fresh)
        fresh.discard(event_id)
    return outcomes


async def apply_once(
    envelope: Envelope[E],
    *,
    uow_factory: Callable[[], U],
    apply: Callable[[U, Envelope[E]], Awaitable[object]],
) -> bool:
    """Apply an event unless the inbox says it already was; True if applied now."""
    try:
        async with uow_factory() as uow:
            if await uow.has_applied(envelope.event_id):
                return False
            await uow.mark_applied(envelope)  # type: ignore[arg-type]
            with applying(envelope):
                await apply(uow, envelope)
            await uow.commit()
            return True
    except IntegrityError:
        # Another worker applied it meanwhile (asked only once this transaction is over).
        if await _applied_meanwhile(uow_factory, envelope):
            return False
        raise


@contextmanager
def applying(envelope: Envelope[Any]) -> Iterator[None]:
    """Apply under the event's own correlation id and trace, whatever batch it came in; what
    changes is audited as the system's, caused by this event."""
    with (
        correlated(envelope.correlation_id),
        answering(envelope.event_id),
        _tracer.start_as_current_span(
            f"{envelope.type} process",
            context=context_from(envelope.traceparent),
            kind=SpanKind.CONSUMER,
            attributes={"messaging.message.id": str(envelope.event_id)},
        ),
    ):
        yield


async def _applied_meanwhile(uow_factory: Callable[[], U], envelope: Envelope[E]) -> bool:
    async with uow_factory() as uow:
        return await uow.has_applied(envelope.event_id)
