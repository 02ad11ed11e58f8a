"""Engines and sessions: the same code on SQLite files (local run, tests) and PostgreSQL."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util import greenlet_spawn

from shared import sqlite_driver
from shared.sqlite_checkpoints import Checkpointer

# How long a transaction may queue for SQLite's one connection of this process (then, if it
# writes, up to `sqlite_driver.LOCK_SECONDS` for the file's write lock, which the other process,
# an API's worker say, may hold).
SQLITE_QUEUE_SECONDS = 60.0

Sessions = Callable[[], AsyncConnection]
"""Opens a database session (`LazyConnection`)."""

# PostgreSQL's SQLSTATEs for a transaction it rolled back so that another could go on: a
# deadlock's victim, or a serializable transaction that lost to another.
GAVE_WAY = frozenset({"40P01", "40001"})

_reading = sqlite_driver.reading


@contextmanager
def reading_only(reading: bool = True) -> Iterator[None]:
    """Transactions begun inside only read. On SQLite they begin deferred and take no write
    lock, so under WAL a read never waits for a writer of another process; a transaction that
    writes begins with BEGIN IMMEDIATE (`reading=False`, the default outside this block). On
    PostgreSQL they run at REPEATABLE READ (`LazyConnection.start`): one moment, as on SQLite."""
    token = _reading.set(reading)
    try:
        yield
    finally:
        _reading.reset(token)


@asynccontextmanager
async def read_session(sessions: Sessions) -> AsyncIterator[AsyncConnection]:
    """A session for a read outside a unit of work (a relay's look at its outbox, say)."""
    with reading_only():
        async with sessions() as session:
            yield session


def gave_way(error: DBAPIError) -> bool:
    """Whether the database rolled the transaction back for another's sake: it changed nothing,
    and tried again it can succeed."""
    return getattr(error.orig, "sqlstate", None) in GAVE_WAY


def create_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> AsyncEngine:
    """PostgreSQL: a pool of `pool_size` (+ `max_overflow`) connections. SQLite: one connection
    per process, so that this process's transactions queue for it in turn instead of competing
    for the file's write lock and failing as "database is locked" under load, and its WAL
    checkpointed beside it rather than in its commits."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(
            url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow
        )
    # Whichever driver the URL names (sqlite+aiosqlite, say), SQLite is called on the loop.
    parsed = parsed.set(drivername=sqlite_driver.NAME)
    file = sqlite_file(url)
    if file is None:
        engine = create_async_engine(parsed, connect_args=sqlite_driver.CONNECT_ARGS)
    else:
        file.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            parsed,
            connect_args=sqlite_driver.CONNECT_ARGS,
            pool_size=1,
            max_overflow=0,
            pool_timeout=SQLITE_QUEUE_SECONDS,
        )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    if file is not None:
        _checkpoint_beside(engine, file)
    return engine


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for another database, or SQLite in memory)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def _checkpoint_beside(engine: AsyncEngine, path: Path) -> None:
    """While the file's connection is open, its WAL is checkpointed on a thread beside it, not
    in one of its commits (`shared.sqlite_checkpoints`)."""

    def opened(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")
        record.info["checkpointer"] = Checkpointer(path).start()

    def closed(_dbapi_connection: Any, record: Any) -> None:
        if checkpointer := record.info.pop("checkpointer", None):
            checkpointer.stop()

    event.listen(engine.sync_engine, "connect", opened)
    event.listen(engine.sync_engine.pool, "close", closed)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # An API and its worker write the same file, one connection each: WAL lets readers of the
    # other process go on, and their writers take turns at BEGIN; synchronous=NORMAL
    # stays crash-safe under WAL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # No waiting inside SQLite, which would stop the event loop: a transaction waits for the
    # other process's write lock at BEGIN, on the loop (`sqlite_driver.begin_immediate`).
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # Transactions are begun by the dialect (`sqlite_driver.SQLiteDialect.do_begin`), not by
    # the sqlite3 module: a writer takes the write lock at BEGIN, since a deferred transaction
    # that reads and then writes can fail at once with SQLITE_BUSY when another writer got
    # there first, whatever the busy timeout.
    dbapi_connection.isolation_level = None


def session_factory(engine: AsyncEngine) -> Sessions:
    return functools.partial(LazyConnection, engine)


class LazyConnection(AsyncConnection):
    """A database session: a connection whose first statement begins its transaction. The
    platform runs SQL statements only (SQLAlchemy Core), so it needs no ORM session, whose
    bookkeeping cost about a sixth of each statement. Like one, though, it takes a connection
    from the pool at its first statement rather than when opened: a unit of work may ask another
    service first (orders asks the catalogue for its quotes, or Stripe for a payment), and on
    SQLite this process's one connection must not wait on that."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._on_the_loop = isinstance(engine.dialect, sqlite_driver.SQLiteDialect)

    if not TYPE_CHECKING:  # AsyncConnection's own signatures, which are overloaded

        async def execute(self, *args, **kwargs):
            await self._start_once()
            if self._on_the_loop:
                return await self._execute_on_the_loop(*args, **kwargs)
            return await super().execute(*args, **kwargs)

        # AsyncConnection's scalar() and scalars() run their statement through execute() above.

    async def _start_once(self) -> None:
        if self.sync_connection is None:
            await self.start()

    async def _execute_on_the_loop(self, *args: Any, **kwargs: Any) -> Any:
        """A statement on the platform's SQLite, called straight from the loop. SQLAlchemy's
        asyncio connection runs each statement in a greenlet of its own, there to await what the
        driver awaits; this driver awaits nothing once its transaction has begun, and a new
        greenlet cost about 15 µs of a statement's 100 here. A transaction begins in one (it may
        wait on the loop for another process's write lock)."""
        connection = self._proxied
        if not connection.in_transaction():
            await greenlet_spawn(connection.begin)
        return connection.execute(*args, **kwargs)

    async def start(self, is_ctxmanager: bool = False) -> AsyncConnection:
        started = await super().start(is_ctxmanager)
        if _reading.get() and self.engine.dialect.name == "postgresql":
            # A view's reads see one moment, as SQLite's read transactions do: under READ
            # COMMITTED each statement would see the commits made since the one before (an
            # account listed, its balance read before its posting, shown as nothing).
            await self.execution_options(isolation_level="REPEATABLE READ")
        return started

    async def commit(self) -> None:
        if self.sync_connection is not None:
            await super().commit()

    async def rollback(self) -> None:
        if self.sync_connection is not None:
            await super().rollback()

    async def close(self) -> None:
        if self.sync_connection is not None:
            await super().close()
