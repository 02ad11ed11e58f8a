"""A service's message bus: the one place a command is handled and its transaction owned.

A service's `application/` declares two tables: `COMMANDS` (command class -> handler) and
`EVENTS` (event class -> handler). A handler takes the message first, then by keyword only what
it names: `uow` (the unit of work, already open), `now` and `today` (the clock read once per
message: `today` is the day of `now`, also at midnight), and any dependency `bootstrap.py` gives
the bus (settings, outside parties). Handlers never open or commit: the bus commits a command's
unit of work once the handler returns (one command, one transaction), and the batched consumer
commits a batch of events (see `subscribe`).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.exc import DBAPIError

from shared.clock import Clock, business_day
from shared.db import gave_way
from shared.events.base import Envelope, Event
from shared.messaging.consumer import Subscription, Subscriptions
from shared.uow import UnitOfWork

U = TypeVar("U", bound=UnitOfWork)
R = TypeVar("R", covariant=True)


class Command(Generic[R]):
    """A command whose handler returns `R`, which `MessageBus.handle` then answers with.
    `handled_again_on`: errors that mean another request won a race this one may now find
    settled (the bus handles it again, whole, a few times before it lets the error through)."""

    __slots__ = ()
    handled_again_on: ClassVar[tuple[type[Exception], ...]] = ()


Handler = Callable[..., Awaitable[Any]]
Commands = Mapping[type, Handler]
Events = Mapping[type[Event], Handler]

log = logging.getLogger(__name__)

_PER_MESSAGE = ("uow", "today", "now")
TRANSACTION_ATTEMPTS = 5  # six checkouts with one key at once: each finds the winner's order
_NOTHING: Mapping[Any, Any] = MappingProxyType({})


class MessageBus(Generic[U]):
    def __init__(
        self,
        *,
        unit_of_work: Callable[[], U],
        clock: Clock,
        commands: Commands = _NOTHING,
        events: Events = _NOTHING,
        dependencies: Mapping[str, object] = _NOTHING,
    ) -> None:
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.commands = dict(commands)
        self.events = dict(events)
        self._dependencies = {"clock": clock, **dependencies}
        # What each handler names, read once: a name nothing provides fails here, at wiring.
        self._wants = {
            handler: self._names_wanted(handler)
            for handler in [*self.commands.values(), *self.events.values()]
        }

    async def handle(self, command: Command[R]) -> R:
        """Handle one command in one transaction, committed when its handler returns; the
        handler's result. A handler that raises changes nothing. A transaction the database
        rolls back for another's sake (a deadlock's victim), or one that lost a race the
        command names in `handled_again_on`, is handled again, whole."""
        handler = self.commands.get(type(command))
        if handler is None:
            raise LookupError(f"no handler for {type(command).__name__}")
        races: tuple[type[Exception], ...] = getattr(command, "handled_again_on", ())
        for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
            try:
                async with self.unit_of_work() as uow:
                    result: R = await handler(command, **self._arguments(handler, uow))
                    await uow.commit()
                return result
            except Exception as error:
                gave_way_to_another = isinstance(error, DBAPIError) and gave_way(error)
                if attempt == TRANSACTION_ATTEMPTS or not (
                    gave_way_to_another or isinstance(error, races)
                ):
                    raise
                log.log(
                    logging.WARNING if gave_way_to_another else logging.INFO,
                    "%s gave way to another request (%r); handling it again",
                    type(command).__name__,
                    error,
                )
        raise AssertionError("unreachable")

    async def apply(self, uow: U, envelope: Envelope[Any]) -> None:
        """Apply one event inside a transaction the batched consumer owns (it commits)."""
        handler = self.events[type(envelope.payload)]
        await handler(envelope, **self._arguments(handler, uow))

    def subscribe(self, subscriptions: Subscriptions, *, consumer: str) -> None:
        """Subscribe the service's worker to every event of its `EVENTS` table."""
        for event_type in self.events:
            subscriptions.all.append(
                Subscription(consumer, event_type, self.unit_of_work, self.apply)
            )

    async def aclose(self) -> None:
        """Close the outside parties that hold connections (an HTTP client, say)."""
        for name, dependency in self._dependencies.items():
            closing = getattr(dependency, "aclose", None)
            if callable(closing):
                try:
                    await closing()
                except Exception:  # shutting down: close the others all the same
                    log.exception("closing %s failed", name)

    def _arguments(self, handler: Handler, uow: U) -> dict[str, object]:
        now = self.clock.now()
        given = {**self._dependencies, "uow": uow, "today": business_day(now), "now": now}
        return {name: given[name] for name in self._wants[handler]}

    def _names_wanted(self, handler: Handler) -> tuple[str, ...]:
        _message, *named = inspect.signature(handler).parameters.values()
        unknown = [
            parameter.name
            for parameter in named
            if parameter.name not in _PER_MESSAGE and parameter.name not in self._dependencies
        ]
        if unknown:
            raise TypeError(f"{handler.__qualname__} wants {unknown}, which the bus does not have")
        return tuple(parameter.name for parameter in named)
