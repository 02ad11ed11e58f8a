"""The garbage collector of a long-running service process: what the process made as it started
is frozen, so that a full collection no longer walks it.

A full collection looks at every object the process holds, and a service holds hundreds of
thousands from its start alone: modules, SQLAlchemy's tables and statements, pydantic's
validators, FastAPI's routes. Under load, a request's short-lived objects that happen to be
alive when a young collection runs are promoted, and enough promotions set off a full one. At
200 orders/s on these 2-core machines the orders API stood still for 82–95 ms about every 3 s,
every request in flight waiting, which set the 99th percentile. Frozen (`gc.freeze()`), the
startup objects are left out of every collection (refcounting still frees any that a process
lets go of), and a full collection took about 1 ms.

Only the processes the CLI starts do this (`schools-platform api`, `portal`, `worker`): a test
process, which starts and stops many services, keeps CPython's defaults.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from shared import metrics


def freeze_what_startup_made() -> None:
    """Collect once, then freeze every object that survives: call it when the process has
    started (its app built, its connections open) and before it serves."""
    gc.collect()
    gc.freeze()
    metrics.gc_frozen(gc.get_freeze_count())
    time_pauses()


def time_pauses() -> None:
    """Time every collection from now on, on /metrics (`gc_pause_seconds`)."""
    if not any(isinstance(callback, PauseTimer) for callback in gc.callbacks):
        gc.callbacks.append(PauseTimer(metrics.gc_pause_recorder()))


class PauseTimer:
    """A collection runs wherever an allocation sets it off, a scrape of /metrics included; the
    recorder it is given takes no lock that such a scrape may hold (see `gc_pause_recorder`)."""

    def __init__(self, record: metrics.RecordPause) -> None:
        self._record = record
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self._record(info["generation"], time.perf_counter() - self._started)
