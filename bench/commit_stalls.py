"""Benchmark: how long a commit holds up the event loop on SQLite, at its tail, beside the
machine's limit for the same commits, in the same run.

The platform calls sqlite3 on the event loop, so a commit's time is time the whole process
serves no one. A commit that also checkpoints the WAL (SQLite's own rule: the commit that takes
it past 1,000 pages) copies those pages into the file and waits for the disk.

What is measured
----------------
`--transactions` transactions, each inserting `--rows` rows of about 3 KB with an indexed random
key (about what an order writes), a short pause between them, in three ways, taking turns
round by round:

- platform: the platform's engine (`shared.db.create_engine`), whose commits never checkpoint:
  a thread beside the connection does (`shared.sqlite_checkpoints`);
- in the commit: the same engine with SQLite's own checkpoints (`wal_autocheckpoint=1000`) and
  no thread: what the platform did before;
- baseline, the machine's limit: `sqlite3` directly, the same statements and settings, and no
  checkpoint at all (the WAL only grows), so no commit ever waits for one.

Printed: p50, p99, p99.9 and the longest commit of each, in ms of wall time, and each p99 as a
ratio to the baseline's.

Run from the repository root:

    .venv/bin/python bench/commit_stalls.py
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.db import create_engine

CREATE = (
    "CREATE TABLE rows (id INTEGER PRIMARY KEY, key TEXT NOT NULL, body BLOB NOT NULL)",
    "CREATE INDEX ix_rows_key ON rows (key)",
)
INSERT = "INSERT INTO rows (key, body) VALUES (hex(randomblob(16)), randomblob(3000))"
PAUSE_SECONDS = 0.002


async def engine_commits(path: Path, transactions: int, rows: int, *, own: bool) -> list[float]:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    if own:  # as before: SQLite checkpoints in the commit, and no thread beside it does
        event.listen(engine.sync_engine, "connect", _own_checkpoints)
    try:
        async with engine.begin() as connection:
            for statement in CREATE:
                await connection.execute(text(statement))
        took = []
        for _ in range(transactions):
            started = time.perf_counter()
            async with engine.begin() as connection:
                await connection.execute(text(INSERT), [{}] * rows)
            took.append(time.perf_counter() - started)
            await asyncio.sleep(PAUSE_SECONDS)
        return took
    finally:
        await engine.dispose()


def _own_checkpoints(connection: sqlite3.Connection, record: Any) -> None:
    """After the engine's own listener, which started the thread: stopped, and SQLite's rule back."""
    connection.execute("PRAGMA wal_autocheckpoint=1000")
    record.info.pop("checkpointer").stop()


def baseline_commits(path: Path, transactions: int, rows: int) -> list[float]:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "wal_autocheckpoint=0"):
        connection.execute(f"PRAGMA {pragma}")
    for statement in CREATE:
        connection.execute(statement)
    took = []
    for _ in range(transactions):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(INSERT, [()] * rows)
        connection.execute("COMMIT")
        took.append(time.perf_counter() - started)
        time.sleep(PAUSE_SECONDS)
    connection.close()
    return took


def quantiles(took: list[float]) -> dict[str, float]:
    ordered = sorted(seconds * 1000 for seconds in took)

    def at(share: float) -> float:
        return ordered[round(share * (len(ordered) - 1))]

    return {"p50": at(0.5), "p99": at(0.99), "p99.9": at(0.999), "max": ordered[-1]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=4000, help="per way and round")
    parser.add_argument("--rows", type=int, default=8, help="rows of about 3 KB a transaction")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args(argv)
    ways: dict[str, Callable[[Path], list[float]]] = {
        "platform (checkpoints beside)": lambda path: asyncio.run(
            engine_commits(path, arguments.transactions, arguments.rows, own=False)
        ),
        "checkpoints in the commit": lambda path: asyncio.run(
            engine_commits(path, arguments.transactions, arguments.rows, own=True)
        ),
        "baseline (no checkpoints)": lambda path: baseline_commits(
            path, arguments.transactions, arguments.rows
        ),
    }
    took: dict[str, list[float]] = {name: [] for name in ways}
    with tempfile.TemporaryDirectory(prefix="bench-commits-", dir="/var/tmp") as directory:
        for round_ in range(arguments.rounds):
            for index, (name, run) in enumerate(ways.items()):
                took[name] += run(Path(directory) / f"{round_}-{index}.db")
    print(
        f"commit time on the loop, ms ({arguments.rounds} × {arguments.transactions} "
        f"transactions of {arguments.rows} rows each way)"
    )
    print(f"  {'':32}{'p50':>8}{'p99':>8}{'p99.9':>8}{'max':>8}  p99/baseline")
    floor = quantiles(took["baseline (no checkpoints)"])["p99"]
    for name, times in took.items():
        figures = quantiles(times)
        row = "".join(f"{figures[key]:8.2f}" for key in ("p50", "p99", "p99.9", "max"))
        print(f"  {name:32}{row}  {figures['p99'] / floor:8.2f}")


if __name__ == "__main__":
    main()
