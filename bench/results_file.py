"""Where the benchmarks keep their figures: one JSON file a run, under bench/results/."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def save_results(kind: str, arguments: argparse.Namespace, figures: dict[str, Any]) -> Path:
    """`figures`, with when, with what arguments and on what machine they were measured, as
    bench/results/<kind>-<timestamp>.json."""
    stamp = timestamp()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{kind}-{stamp}.json"
    document = {
        "measured_at": stamp,
        "arguments": vars(arguments),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        **figures,
    }
    path.write_text(json.dumps(document, indent=2))
    return path
