"""A clone with nothing beside it: the tracked files alone migrate and seed the platform (the
data it needs is carried in the repository, not read from a folder next to it)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPOSITORY = Path(__file__).resolve().parents[2]


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPOSITORY, capture_output=True, check=True
    ).stdout
    return [name for name in listed.decode().split("\0") if name]


def bare_copy(into: Path) -> Path:
    """The tracked files only, in a folder whose parent holds nothing else."""
    clone = into / "clone"
    for name in tracked_files():
        source = REPOSITORY / name
        if source.is_file():
            target = clone / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return clone


def run_in(clone: Path, *arguments: str) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_DATABASE_URL") and key not in {"PLATFORM_SCHOOLS_CSV", "NATS_URL"}
    }
    environment.update(PLATFORM_DATA_DIR=str(clone / ".data"), PYTHONPATH=str(clone))
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", *arguments],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_clone_with_nothing_beside_it_migrates_and_seeds_the_real_register(
    tmp_path: Path,
) -> None:
    clone = bare_copy(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clone"]

    run_in(clone, "migrate")
    printed = run_in(clone, "seed")

    data = clone / ".data"
    assert "schools imported: 567" in printed
    assert count(data / "orders.db", "schools") == 567  # every open Hertfordshire school
    assert count(data / "catalogue.db", "services") >= 40
    assert count(data / "commissioning.db", "contracts") == 1
    assert count(data / "evaluation.db", "programmes") >= 1
    assert count(data / "ledger.db", "schools") == 567
