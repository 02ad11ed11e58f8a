"""SQLite for the asyncio engine, called on the event loop's own thread.

aiosqlite runs each call (execute, fetch, commit…) on a thread of its own and hands the result
back to the loop: for a transaction of a dozen statements that is dozens of hand-offs between
threads, most of what an order costs an API process. A statement on a local SQLite file takes
microseconds, so this dialect calls the standard `sqlite3` module directly instead.

The one wait that could block the loop is another process's write lock (an API and its worker
write the same file): every transaction that writes begins with BEGIN IMMEDIATE
(`SQLiteDialect.do_begin`), and this dialect waits for the lock by sleeping on the loop
between tries, so the process goes on serving while it waits. Once a transaction holds the
lock nothing else waits: under WAL, reads never do, and a commit needs no lock the transaction
does not already hold.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from contextvars import ContextVar
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.util import await_only
from sqlalchemy.util.concurrency import in_greenlet

NAME = "sqlite+platform"
# Waits between tries for another process's write lock: short at first, then at most this.
FIRST_WAIT_SECONDS = 0.001
LONGEST_WAIT_SECONDS = 0.05
# How long a transaction that writes waits at BEGIN for the file's write lock.
LOCK_SECONDS = 30.0

reading: ContextVar[bool] = ContextVar("reading", default=False)
"""Whether the transactions begun now only read (`shared.db.reading_only` sets it)."""


async def _nothing() -> None:
    pass


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        _touch_the_loop()
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> _Cursor:
        _touch_the_loop()
        return super().executemany(sql, parameters)

    async def _async_soft_close(self) -> None:
        """The asyncio result's hook for a driver whose cursor must be closed on the loop: a
        `sqlite3` cursor keeps its rows, closed or not, so there is nothing to do."""


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


# How the dialect's engine connects: `sqlite3.connect(..., **CONNECT_ARGS)`.
CONNECT_ARGS = {
    "factory": _Connection,
    "check_same_thread": False,  # the pool may close a connection from another thread
}


class SQLiteDialect(SQLiteDialect_pysqlite):
    driver = "platform"
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool  # a transaction queues for the connection on the loop
        return pool.StaticPool

    def do_begin(self, dbapi_connection: Any) -> None:
        """A transaction that only reads begins deferred: it takes no write lock, so under WAL
        it never waits for a writer. One that writes takes the file's write lock at once.

        Begun here rather than by an engine "begin" listener: with any engine listener at all,
        SQLAlchemy dispatched its (empty) execute events around every statement, about a sixth
        of what a statement costs it."""
        connection = dbapi_connection.driver_connection
        if reading.get():
            connection.execute("BEGIN")
            return
        begin_immediate(connection, within_seconds=LOCK_SECONDS)


def begin_immediate(dbapi_connection: sqlite3.Connection, *, within_seconds: float) -> None:
    """Take the file's write lock, waiting on the event loop while another process holds it;
    SQLAlchemy's OperationalError "database is locked" if it is still held after
    `within_seconds`."""
    deadline = time.monotonic() + within_seconds
    wait = FIRST_WAIT_SECONDS
    while True:
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            held = "locked" in str(error) or "busy" in str(error)
            if not held or time.monotonic() >= deadline:  # wrapped as SQLAlchemy would: a 503
                raise OperationalError("BEGIN IMMEDIATE", None, error) from error
        await_only(asyncio.sleep(wait))
        wait = min(wait * 2, LONGEST_WAIT_SECONDS)


def _touch_the_loop() -> None:
    """SQLAlchemy's asyncio connection checks that a statement went through the event loop (a
    driver that never does is a synchronous one by mistake); a switch to the loop's greenlet
    and straight back, with no wait and no thread, satisfies it."""
    if in_greenlet():
        await_only(_nothing())


registry.register("sqlite.platform", __name__, "SQLiteDialect")
