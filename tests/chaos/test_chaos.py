"""The platform keeps its books through crashes: real processes killed with SIGKILL on a seeded
schedule while schools order, pay, cancel and the LA signs milestones off. CHAOS_SEED replays a
run; without it each run draws a seed and prints it."""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

import pytest

from services import registry
from tests.support.chaos.nats import SingleNats
from tests.support.chaos.run import Options, chaos, running_fleet

pytestmark = pytest.mark.e2e


def seed() -> int:
    return int(os.environ.get("CHAOS_SEED") or random.randrange(2**31))


def sqlite_files(folder: Path) -> dict[str, str]:
    return {name: f"sqlite+aiosqlite:///{folder / name}.db" for name in registry.NAMES}


def test_every_invariant_holds_while_each_worker_api_and_nats_is_killed_and_restarted(
    tmp_path: Path,
) -> None:
    options = Options(seed=seed(), actions=70, per_second=2.0, kills=13)
    nats = SingleNats().start_all()
    with running_fleet(nats, sqlite_files(tmp_path)) as fleet:
        assert len(fleet.targets()) == 13  # six APIs, six workers, NATS
        outcome = asyncio.run(chaos(fleet, options))
    report = "\n".join(outcome.lines())
    print(report)
    assert outcome.holds, report
    assert {target for _, target, _ in outcome.kills} == set(fleet.targets())
    book = outcome.book
    assert len(book.orders) > 30 and book.cancelled and book.card_orders and book.course_orders
