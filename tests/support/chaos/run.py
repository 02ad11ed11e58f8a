"""One chaos run: the platform as processes, customers ordering at a bounded rate while a seeded
schedule kills (SIGKILL) and restarts each worker, each API and NATS; then quiescence, and
every invariant checked and printed. The same seed replays the same schedule and orders."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from services import registry
from shared.db import create_engine
from shared.messaging.connection import connect_once
from shared.messaging.streams import PRODUCERS
from tests.support.chaos.fleet import Fleet, Nats
from tests.support.chaos.invariants import Invariant, check, unsent
from tests.support.chaos.load import Customers, Ledgerbook


@dataclass(frozen=True)
class Options:
    seed: int
    actions: int = 120
    per_second: float = 3.0
    in_flight: int = 32  # actions unanswered at once, at most
    kills: int = 12  # at least one for each target when there are enough
    targets: tuple[str, ...] = ()  # what may be killed (default: every worker, API and NATS)
    quiet_timeout: float = 120.0


@dataclass
class Outcome:
    options: Options
    book: Ledgerbook
    invariants: list[Invariant]
    kills: list[tuple[float, str, float]] = field(default_factory=list)  # at, target, back in
    load_seconds: float = 0.0
    quiet_seconds: float = 0.0

    @property
    def holds(self) -> bool:
        return all(invariant.holds for invariant in self.invariants) and not self.book.failures

    def lines(self) -> list[str]:
        book = self.book
        lines = [
            f"chaos run, seed {self.options.seed}: {len(book.orders)} orders accepted "
            f"({len(book.card_orders)} by card, {len(book.course_orders)} booking course places), "
            f"{len(book.cancelled)} cancelled, "
            f"{len(book.milestones_signed)} milestones signed off in {self.load_seconds:.0f} s; "
            f"quiet {self.quiet_seconds:.1f} s after the load",
            f"retries: {dict(book.retries)}; refused by a rule: {dict(book.refused)}",
            f"{len(self.kills)} kills (SIGKILL) and restarts:",
        ]
        back: dict[str, list[float]] = defaultdict(list)
        for _, target, seconds in self.kills:  # from the restart to being back at work
            back[target].append(seconds)
            back[f"every {_kind(target)}"].append(seconds)
        for target, times in sorted(
            back.items(), key=lambda kv: (kv[0].startswith("every"), kv[0])
        ):
            lines.append(
                f"  {target:<22} killed {len(times)}x, back in "
                f"median {statistics.median(times):.2f} s, max {max(times):.2f} s"
            )
        lines += [invariant.line() for invariant in self.invariants]
        lines += [f"FAIL client: {failure}" for failure in book.failures[:10]]
        if not self.holds:
            lines.append(f"replay this run with seed {self.options.seed}")
        return lines


def _kind(target: str) -> str:
    return "worker" if target.endswith("-worker") else "API" if target.endswith("-api") else "NATS"


def kill_schedule(
    rng: random.Random, targets: list[str], *, kills: int, seconds: float
) -> list[tuple[float, str]]:
    """When to kill what: every target once (as far as `kills` goes), the rest at random."""
    chosen = rng.sample(targets, min(kills, len(targets)))
    chosen += [rng.choice(targets) for _ in range(kills - len(chosen))]
    step = seconds / (len(chosen) + 1)
    return [(step * (i + 1) + rng.uniform(-step / 3, step / 3), t) for i, t in enumerate(chosen)]


async def chaos(fleet: Fleet, options: Options) -> Outcome:
    """Run the load and the kills against a started fleet; then wait and check."""
    rng = random.Random(options.seed)
    customers = Customers(fleet, random.Random(rng.random()))
    await customers.prepare()
    seconds = options.actions / options.per_second
    targets = list(options.targets) or fleet.targets()
    schedule = kill_schedule(rng, targets, kills=options.kills, seconds=seconds)
    outcome = Outcome(options, customers.book, [])
    began = time.monotonic()
    one_at_a_time: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
    crashes = [
        asyncio.create_task(
            _kill_and_restart(
                fleet,
                target,
                at,
                down_for=rng.uniform(0.2, 2.0),
                began=began,
                lock=one_at_a_time[target],
            )
        )
        for at, target in schedule
    ]
    try:
        await customers.place(
            options.actions, per_second=options.per_second, in_flight=options.in_flight
        )
        outcome.kills = sorted(await asyncio.gather(*crashes))
    finally:
        await customers.close()
    outcome.load_seconds = time.monotonic() - began
    engines = {name: create_engine(fleet.database_urls[name]) for name in registry.NAMES}
    try:
        quiet = time.monotonic()
        await quiescence(fleet.nats.url, engines, timeout=options.quiet_timeout)
        outcome.quiet_seconds = time.monotonic() - quiet
        outcome.invariants = await check(engines, customers.book)
    finally:
        for engine in engines.values():
            await engine.dispose()
    return outcome


async def _kill_and_restart(
    fleet: Fleet, target: str, at: float, *, down_for: float, began: float, lock: asyncio.Lock
) -> tuple[float, str, float]:
    """At `at` seconds into the load, SIGKILL the target; start it again `down_for` later.
    Several targets may be down at once, as in a real outage."""
    await asyncio.sleep(max(0.0, began + at - time.monotonic()))
    async with lock:
        await asyncio.to_thread(fleet.kill, target)
        killed = time.monotonic() - began
        await asyncio.sleep(down_for)
        return killed, target, await asyncio.to_thread(fleet.start, target)


async def quiescence(nats_url: str, engines: dict[str, AsyncEngine], *, timeout: float) -> None:
    """Until every outbox is empty and every consumer has nothing pending or unacknowledged,
    twice in a row a second apart (a webhook or a redelivery may still be on its way)."""
    deadline = time.monotonic() + timeout
    calm = 0
    waiting: dict[str, Any] = {}
    while calm < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the platform did not quieten in {timeout}s: {waiting}")
        await asyncio.sleep(1.0)
        waiting = await _still_moving(nats_url, engines)
        calm = calm + 1 if not waiting else 0


async def _still_moving(nats_url: str, engines: dict[str, AsyncEngine]) -> dict[str, Any]:
    moving: dict[str, Any] = {}
    for name, engine in engines.items():
        if count := await unsent(engine, name):
            moving[f"{name} outbox"] = count
    try:
        connection = await connect_once(nats_url)
    except Exception as error:
        return {"nats": repr(error)}
    try:
        jetstream = connection.jetstream()
        for producer in PRODUCERS:
            for info in await jetstream.consumers_info(producer.upper()):
                if info.num_pending or info.num_ack_pending:
                    moving[info.name] = (info.num_pending, info.num_ack_pending)
    except Exception as error:
        moving["jetstream"] = repr(error)
    finally:
        await connection.close()
    return moving


@contextmanager
def running_fleet(
    nats: Nats, database_urls: dict[str, str], *, keep_logs: bool = False, **options: Any
) -> Iterator[Fleet]:
    """NATS (already started), then migrations, the demo data and every process; all removed
    at the end, whatever happened (but the logs, if asked)."""
    fleet = Fleet(nats, database_urls, **options)
    try:
        fleet.run("migrate")
        fleet.run("seed")
        fleet.start_all()
        yield fleet
    finally:
        fleet.remove(keep_logs=keep_logs)
