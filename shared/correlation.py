"""The correlation id that ties a request to every event it causes, carried in a contextvar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import uuid4

_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def current_correlation_id() -> str:
    return _current.get() or str(uuid4())


def current_correlation_id_or_none() -> str | None:
    """The id of the request or event being handled, if any (a log line has none outside)."""
    return _current.get()


@contextmanager
def correlated(correlation_id: str | None) -> Iterator[str]:
    value = correlation_id or str(uuid4())
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)
