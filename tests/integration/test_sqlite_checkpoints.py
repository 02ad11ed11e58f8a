"""SQLite's WAL is checkpointed on a thread beside the process's connection, never inside one of
its commits: a checkpoint waits for the disk, and the platform commits on its event loop."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from shared.db import create_engine
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
