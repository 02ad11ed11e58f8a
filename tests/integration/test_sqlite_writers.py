"""SQLite, the embedded default, never answers "database is locked" to a busy process: its
transactions queue for the process's one connection instead of racing for the file's lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from shared.db import create_engine

WRITERS = 16
HELD_SECONDS = 0.5  # each holds the write lock this long, as a checkout waiting on Stripe does


async def test_writers_that_together_outlast_the_busy_timeout_all_commit(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/writers.db")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE checkouts (n INTEGER NOT NULL)"))

    async def checkout(n: int) -> None:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO checkouts VALUES (:n)"), {"n": n})
            await asyncio.sleep(HELD_SECONDS)

    try:
        await asyncio.gather(*(checkout(n) for n in range(WRITERS)))
        async with engine.connect() as connection:
            count = await connection.scalar(text("SELECT count(*) FROM checkouts"))
    finally:
        await engine.dispose()
    assert count == WRITERS
