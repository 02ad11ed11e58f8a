"""The correlation id that ties a request to every event it causes, carried in a contextvar."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import uuid4

_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)

MAX_CORRELATION_ID = 100  # what the audit keeps of one
_READABLE = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_CORRELATION_ID}}}")
REFUSED = (
    f"X-Correlation-ID: at most {MAX_CORRELATION_ID} letters, digits, dots, colons, "
    "hyphens and underscores"
)


def acceptable(correlation_id: str) -> bool:
    """Whether a caller's correlation id may tie our events together: one every event can
    carry and the audit can keep whole."""
    return _READABLE.fullmatch(correlation_id) is not None


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
