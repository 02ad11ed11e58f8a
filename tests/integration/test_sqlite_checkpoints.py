"""SQLite's WAL is checkpointed on a thread beside the process's connection, never inside one of
its commits: a checkpoint waits for the disk, and the platform commits on its event loop."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import text

from shared.db import create_engine
from shared.sqlite_checkpoints import Checkpointer
from tests.support.platform import eventually

PAGE = 4096
ROWS = 1500  # a page each: past the 1,000 pages at which a commit would checkpoint


def checkpointers() -> list[str]:
    return [each.name for each in threading.enumerate() if each.name.startswith("checkpoints")]


async def test_commits_leave_the_checkpoints_to_the_thread_beside_them(tmp_path: Path) -> None:
    path = tmp_path / "checkpointed.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            assert await connection.scalar(text("PRAGMA wal_autocheckpoint")) == 0
            await connection.execute(text("CREATE TABLE pages (body BLOB NOT NULL)"))
        assert "checkpoints of checkpointed.db" in checkpointers()
        for _ in range(ROWS // 50):
            async with engine.begin() as connection:
                await connection.execute(
                    text("INSERT INTO pages VALUES (randomblob(:size))"),
                    [{"size": PAGE - 100}] * 50,
                )

        async def copied_into_the_file() -> bool:
            return path.stat().st_size > ROWS * PAGE

        await eventually(copied_into_the_file, timeout=10)
    finally:
        await engine.dispose()
    assert "checkpoints of checkpointed.db" not in checkpointers()


async def test_an_engine_in_memory_has_no_checkpoints() -> None:
    before = checkpointers()
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("SELECT 1"))
        assert checkpointers() == before
    finally:
        await engine.dispose()


def test_a_file_that_cannot_be_opened_yet_is_tried_again_never_created(tmp_path: Path) -> None:
    path = tmp_path / "not yet" / "later.db"
    checkpointer = Checkpointer(path, interval=0.02).start()
    try:
        time.sleep(0.2)  # several tries, none able to open it
        assert checkpointer.running()
        assert not path.parent.exists()
        path.parent.mkdir()
        time.sleep(0.1)
        assert not path.exists()
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as writer:
            writer.execute("PRAGMA journal_mode=WAL")
            writer.execute("PRAGMA wal_autocheckpoint=0")
            writer.execute("CREATE TABLE pages (body BLOB NOT NULL)")
            writer.executemany("INSERT INTO pages VALUES (randomblob(?))", [(PAGE - 100,)] * 50)
            deadline = time.monotonic() + 10
            while path.stat().st_size < 50 * PAGE and time.monotonic() < deadline:
                time.sleep(0.02)
            assert path.stat().st_size >= 50 * PAGE  # the WAL's pages copied into the file
    finally:
        checkpointer.stop()
    assert not checkpointer.running()


def test_a_wal_that_commits_never_leave_is_emptied_once_it_grows_long(tmp_path: Path) -> None:
    """Commits and reads without a pause: a passive checkpoint never finds the WAL idle, so
    without the reset the file only grows."""
    path = tmp_path / "busy.db"
    wal = path.with_name("busy.db-wal")
    with (
        contextlib.closing(sqlite3.connect(path, isolation_level=None)) as writer,
        contextlib.closing(
            sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        ) as reader,
    ):
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE pages (body BLOB NOT NULL)")
        writing = threading.Event()
        writing.set()

        def read_all_the_time() -> None:
            while writing.is_set():
                reader.execute("SELECT max(rowid) FROM pages").fetchone()

        reading = threading.Thread(target=read_all_the_time)
        checkpointer = Checkpointer(path, interval=0.02, reset_frames=200).start()
        reading.start()
        longest = shrunk = 0
        deadline = time.monotonic() + 20
        try:
            while not shrunk and time.monotonic() < deadline:
                writer.execute("BEGIN IMMEDIATE")
                writer.execute("INSERT INTO pages VALUES (randomblob(?))", (PAGE - 100,))
                writer.execute("COMMIT")
                size = wal.stat().st_size
                shrunk, longest = size < longest, max(longest, size)
        finally:
            writing.clear()
            reading.join()
            checkpointer.stop()
    assert shrunk, f"the WAL grew to {longest // 1024} KB and was never emptied"
