"""A collection's pause is timed by the collector's own callback, which runs wherever an
allocation sets a collection off: also in the middle of a scrape of /metrics, while the scrape
holds the pause histogram's lock."""

from __future__ import annotations

import gc
import threading

from prometheus_client import REGISTRY

from shared import heap, metrics


def full_collections_timed() -> float:
    return REGISTRY.get_sample_value("gc_pause_seconds_count", {"generation": "2"}) or 0.0


def test_a_collection_while_a_scrape_holds_the_histogram_s_lock_is_timed_without_waiting() -> None:
    heap.time_pauses()
    try:
        before = full_collections_timed()
        collected = threading.Event()

        def collect_while_holding_the_lock() -> None:
            with metrics.GC_PAUSES._lock:  # as a scrape does while it copies the series
                gc.collect()
            collected.set()

        # In a thread of its own, so that a callback waiting on the lock fails this test
        # instead of hanging the run.
        threading.Thread(target=collect_while_holding_the_lock, daemon=True).start()
        assert collected.wait(timeout=10), "the callback waited for ever on the metric's lock"
        assert full_collections_timed() >= before + 1  # ours (and any the run set off meanwhile)
    finally:
        gc.callbacks[:] = [c for c in gc.callbacks if not isinstance(c, heap.PauseTimer)]
