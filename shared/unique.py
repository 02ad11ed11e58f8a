"""A unique key taken by another request between this one's check and its insert: on PostgreSQL
two transactions can both find a code free, and the second's insert then fails on the key. That
is the same refusal the check would have given (a 409 naming the field), never a 500."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError

from shared.errors import DomainError

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
_SQLITE_COLUMN = re.compile(r"UNIQUE constraint failed: \w+\.(\w+)")
_POSTGRESQL_COLUMN = re.compile(r"Key \((\w+)")


def clashed(error: IntegrityError) -> bool:
    """Whether a unique key clashed (not a foreign key, a NOT NULL or a CHECK failing)."""
    postgresql = getattr(error.orig, "sqlstate", None) == UNIQUE_VIOLATION
    return postgresql or "UNIQUE constraint failed" in str(error.orig)


def clashing_column(error: IntegrityError) -> str | None:
    """The (first) column of the key that clashed, where the database names it: in SQLite's
    message, or in the detail of asyncpg's error beneath SQLAlchemy's."""
    detail = getattr(getattr(error.orig, "__cause__", None), "detail", None) or ""
    found = _SQLITE_COLUMN.search(str(error.orig)) or _POSTGRESQL_COLUMN.search(detail)
    return found.group(1) if found else None


@asynccontextmanager
async def taken_as(refusal: Callable[[], DomainError]) -> AsyncIterator[None]:
    """The statements inside, with a unique key taken meanwhile raised as `refusal()`."""
    try:
        yield
    except IntegrityError as error:
        if not clashed(error):
            raise
        raise refusal() from error
