"""Benchmark: what one SQL statement costs the platform on SQLite, beside the same statements
called on the `sqlite3` module directly, in the same run.

What is measured
----------------
`--transactions` transactions of `--statements` statements each (an insert of an outbox-like
row, then a read of a row by its unique key, in turn), each transaction then committed, repeated
for `--rounds` rounds:

- platform: each transaction a session of the platform's own (`shared.db.session_factory` on
  `shared.db.create_engine`: the SQLite dialect that runs `sqlite3` on the event loop, the
  session that takes its connection at its first statement), the statements SQLAlchemy Core
  statements built once, as the services' hot statements are;
- baseline, the machine's limit for the same work: the same statements as SQL text with their
  values ready, on a `sqlite3` connection with the same settings (WAL, synchronous=NORMAL),
  each transaction begun with BEGIN IMMEDIATE and committed.

The two alternate round by round. Printed: the median CPU time per statement of each (the
commit and, for the platform, the session included), and baseline/platform. CPU time, not wall
time: the figure a busy machine disturbs least.

Run from the repository root:

    .venv/bin/python bench/statements.py
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, bindparam, insert, select

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from bench.results_file import save_results  # noqa: E402
from shared import db  # noqa: E402

rows = Table(
    "rows",
    MetaData(),
    Column("position", Integer, primary_key=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("subject", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
INSERT = insert(rows)
FIND = select(rows.c.position).where(rows.c.event_id == bindparam("event_id"))
RAW_TABLE = (
    "CREATE TABLE rows (position INTEGER PRIMARY KEY, event_id VARCHAR(36) NOT NULL UNIQUE,"
    " subject VARCHAR(200) NOT NULL, created_at DATETIME NOT NULL)"
)
RAW_INSERT = "INSERT INTO rows (event_id, subject, created_at) VALUES (?, ?, ?)"
RAW_FIND = "SELECT rows.position FROM rows WHERE rows.event_id = ?"
SUBJECT = "orders.order.placed.v1"


async def platform_round(sessions: db.Sessions, transactions: int, statements: int) -> float:
    """CPU seconds for the round's transactions through the platform's sessions."""
    started = time.process_time()
    for _ in range(transactions):
        async with sessions() as session:
            for index in range(statements):
                if index % 2 == 0:
                    row = {"event_id": str(uuid.uuid4()), "subject": SUBJECT}
                    await session.execute(INSERT, {**row, "created_at": datetime.now(UTC)})
                else:
                    await session.scalar(FIND, {"event_id": row["event_id"]})
            await session.commit()
    return time.process_time() - started


def baseline_round(connection: sqlite3.Connection, transactions: int, statements: int) -> float:
    """CPU seconds for the same transactions on `sqlite3` directly."""
    started = time.process_time()
    for _ in range(transactions):
        connection.execute("BEGIN IMMEDIATE")
        for index in range(statements):
            if index % 2 == 0:
                event_id = str(uuid.uuid4())
                created_at = datetime.now(UTC).isoformat(sep=" ")
                connection.execute(RAW_INSERT, (event_id, SUBJECT, created_at))
            else:
                connection.execute(RAW_FIND, (event_id,)).fetchone()
        connection.execute("COMMIT")
    return time.process_time() - started


def raw_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(RAW_TABLE)
    return connection


async def benchmark(arguments: argparse.Namespace, work_dir: Path) -> dict[str, float]:
    engine = db.create_engine(f"sqlite+aiosqlite:///{work_dir / 'platform.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(rows.metadata.create_all)
    sessions = db.session_factory(engine)
    baseline = raw_connection(work_dir / "baseline.db")
    count = arguments.transactions * arguments.statements
    platform_times, baseline_times = [], []
    try:
        for _ in range(arguments.rounds):
            platform_times.append(
                await platform_round(sessions, arguments.transactions, arguments.statements)
            )
            baseline_times.append(
                baseline_round(baseline, arguments.transactions, arguments.statements)
            )
    finally:
        baseline.close()
        await engine.dispose()
    return {
        "platform_us_per_statement": statistics.median(platform_times) / count * 1e6,
        "baseline_us_per_statement": statistics.median(baseline_times) / count * 1e6,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8, help="rounds, each side in turn")
    parser.add_argument("--transactions", type=int, default=500, help="per round")
    parser.add_argument("--statements", type=int, default=10, help="per transaction")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-statements-") as tmp:
        figures = asyncio.run(benchmark(arguments, Path(tmp)))
    platform = figures["platform_us_per_statement"]
    baseline = figures["baseline_us_per_statement"]
    print("CPU per statement (median of the rounds; the commit, and the platform's session, in it)")
    print(f"  platform  {platform:8.1f} µs  (shared.db sessions, SQLAlchemy Core, SQLite)")
    print(f"  baseline  {baseline:8.1f} µs  (the same statements on sqlite3 directly)")
    print(f"  baseline/platform {baseline / platform:6.3f}")
    if not arguments.no_save:
        rounded = {name: round(value, 1) for name, value in figures.items()}
        print(f"  saved to {save_results('statements', arguments, rounded)}")


if __name__ == "__main__":
    main()
