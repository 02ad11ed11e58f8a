"""SQLite's WAL checkpoints, on a thread of their own rather than inside a commit.

The platform calls sqlite3 on the event loop (`shared.sqlite_driver`). Left to itself, SQLite
checkpoints in whichever commit takes the WAL past 1,000 pages: that commit copies the pages
into the database file and waits for the disk (fsync of the WAL, then of the file), and while
it waits the loop serves no one: every request in flight in that process stalls with it. So
the process's connection never checkpoints; beside it a thread, with a connection of its own,
runs a PASSIVE checkpoint every `interval` seconds (as SQLite's own would: it copies what no
reader still needs, waiting for no one), and sqlite3 lets go of the GIL while it writes and
waits for the disk.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

INTERVAL_SECONDS = 1.0


class Checkpointer:
    """Checkpoints one database file until stopped."""

    def __init__(self, path: Path, *, interval: float = INTERVAL_SECONDS) -> None:
        self.path = path
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"checkpoints of {path.name}", daemon=True
        )

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=1)

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("PRAGMA busy_timeout=0")
            while not self._stopping.wait(self.interval):
                with contextlib.suppress(sqlite3.OperationalError):  # another's is under way
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()
