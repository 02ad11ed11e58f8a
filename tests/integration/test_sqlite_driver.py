"""SQLite on the event loop's thread: waiting for another process's write lock never stops the
loop, and a lock held too long is refused as "database is locked" (the API's 503)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from shared import db, sqlite_driver


async def test_a_transaction_waits_for_another_writer_while_the_loop_goes_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "orders.db"
    engine = db.create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE invoices (number INTEGER)"))
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")  # the worker beside the API, mid-transaction
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def insert() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO invoices VALUES (1)"))

    ticking = asyncio.create_task(tick())
    inserting = asyncio.create_task(insert())
    await asyncio.sleep(0.3)
    assert not inserting.done()
    assert ticks >= 10  # the loop went on while the insert waited
    other_process.execute("COMMIT")
    await asyncio.wait_for(inserting, 5)
    ticking.cancel()
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM invoices"))).scalar() == 1
    other_process.close()
    await engine.dispose()


async def test_a_write_lock_held_too_long_is_refused_as_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_driver, "LOCK_SECONDS", 0.2)
    path = tmp_path / "orders.db"
    engine = db.create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE invoices (number INTEGER)"))
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="database is locked"):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO invoices VALUES (1)"))
    other_process.execute("ROLLBACK")
    other_process.close()
    await engine.dispose()


async def test_a_read_never_waits_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.db"
    engine = db.create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE services (code TEXT)"))
        await connection.execute(text("INSERT INTO services VALUES ('SIP')"))
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")  # the worker beside the API, mid-transaction
    other_process.execute("INSERT INTO services VALUES ('CPD')")
    sessions = db.session_factory(engine)

    async def read() -> list[str]:
        async with db.read_session(sessions) as session:
            return list((await session.execute(text("SELECT code FROM services"))).scalars())

    # The write lock is still held: a read that waited for it would never finish here.
    assert await asyncio.wait_for(read(), 5) == ["SIP"]  # what was committed, nothing more
    writing = asyncio.create_task(_insert(sessions, "HR"))
    await asyncio.sleep(0.2)
    assert not writing.done()  # outside a read session, a transaction waits for the lock
    other_process.execute("COMMIT")
    await asyncio.wait_for(writing, 5)
    assert sorted(await read()) == ["CPD", "HR", "SIP"]
    other_process.close()
    await engine.dispose()


async def test_a_session_takes_the_one_connection_only_at_its_first_statement(
    tmp_path: Path,
) -> None:
    """A unit of work that first asks another service holds no connection meanwhile, so the
    process's other transactions go on (SQLite: one connection per process)."""
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE services (code TEXT)"))
    sessions = db.session_factory(engine)
    asking_first = sessions()
    await asyncio.wait_for(_insert(sessions, "SIP"), 5)  # would wait 60 s for the connection
    assert asking_first.sync_connection is None
    await asking_first.execute(text("INSERT INTO services VALUES ('CPD')"))
    await asking_first.commit()
    assert await asking_first.scalar(text("SELECT count(*) FROM services")) == 2
    await asking_first.close()
    untouched = sessions()
    await untouched.rollback()  # as a unit of work ends: nothing to give back
    await untouched.close()
    await engine.dispose()


async def _insert(sessions: db.Sessions, code: str) -> None:
    async with sessions() as session:
        await session.execute(text("INSERT INTO services VALUES (:code)"), {"code": code})
        await session.commit()


def test_every_sqlite_url_is_served_on_the_loop() -> None:
    engine = db.create_engine("sqlite+aiosqlite:///:memory:")
    assert engine.url.drivername == sqlite_driver.NAME
