"""SQLite's WAL checkpoints, on a thread of their own rather than inside a commit.

The platform calls sqlite3 on the event loop (`shared.sqlite_driver`). Left to itself, SQLite
checkpoints in whichever commit takes the WAL past 1,000 pages: that commit copies the pages
into the database file and waits for the disk (fsync of the WAL, then of the file), and while
it waits the loop serves no one: every request in flight in that process stalls with it. So
the process's connection never checkpoints; beside it a thread, with a connection of its own,
runs a PASSIVE checkpoint every `interval` seconds (as SQLite's own would: it copies what no
reader still needs, waiting for no one), and sqlite3 lets go of the GIL while it writes and
waits for the disk.

A passive checkpoint never starts the WAL again from its beginning: only a writer does that,
and only when it begins while every frame has been copied, which commits arriving all the time
never leave it (a commit's own checkpoint would have copied up to that very commit). Under
steady load the WAL file grew without end: at 200 orders a second the ledger's reached 422–640
MB in a minute and a half. So when a WAL is longer than `RESET_FRAMES`, the thread follows its
passive checkpoint with a TRUNCATE one, which copies the little left and empties the file if
no reader or writer is busy at that instant, and otherwise gives up at once (it waits for no
one, which is what keeps the commits from stalling behind it: a wait of 50 ms for the readers
made the tail of every benchmark run worse); it is asked again at the next interval.

The thread must outlive anything that goes wrong: with the commits' own checkpoints off, a
thread that died would let the WAL grow without end. A file it cannot open now (gone, or no file
descriptor to spare) is tried again at the next interval, and never created.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from pathlib import Path

INTERVAL_SECONDS = 1.0
RESET_FRAMES = 4_000  # about 16 MB of 4 KB pages

log = logging.getLogger(__name__)


class Checkpointer:
    """Checkpoints one database file until stopped."""

    def __init__(
        self, path: Path, *, interval: float = INTERVAL_SECONDS, reset_frames: int = RESET_FRAMES
    ) -> None:
        self.path = path
        self.interval = interval
        self.reset_frames = reset_frames
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"checkpoints of {path.name}", daemon=True
        )

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=1)

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while not self._stopping.wait(self.interval):
                connection = connection or self._opened()
                if connection is not None:
                    # busy: another's is under way; any other failure is tried again next time
                    with contextlib.suppress(sqlite3.Error):
                        self._checkpoint(connection)
        finally:
            if connection is not None:
                connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        busy, frames, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy and frames >= self.reset_frames:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    def _opened(self) -> sqlite3.Connection | None:
        """A connection of the thread's own, or None if the file cannot be opened now."""
        try:
            connection = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None
            )
        except sqlite3.OperationalError as error:
            log.warning("cannot open %s to checkpoint it (%s); trying again", self.path, error)
            return None
        connection.execute("PRAGMA busy_timeout=0")
        return connection
