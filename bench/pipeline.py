"""Benchmark: an order's whole path through the platform, against a raw JetStream baseline.

What is measured
----------------
Platform: `schools-platform up` runs the real platform as separate processes (five APIs, five workers, a
nats-server of its own, one SQLite file per service) in a fresh temporary data directory.
N invoice orders go to the orders API over HTTP at a fixed concurrency, each with its own
`X-Correlation-Id`. An invoice order raises `orders.invoice.raised.v1`; the ledger posts it
and publishes `ledger.transaction.posted.v1`, whose envelope carries the same correlation id.
A core NATS subscription on that subject, opened before the first order, notes when each
posting arrives. A few warm-up orders go all the way first and are not counted. Then:

    end-to-end latency    = posting arrived - request sent   (time.perf_counter, this process)
    request latency       = HTTP 201 received - request sent
    end-to-end throughput = orders posted / (last posting arrived - first request sent)
    request rate          = orders accepted / (last 201 received - first request sent)

A request that fails (say a 500) is counted and reported, never retried.

Baseline, the machine's limit for the same work: on the same nats-server, N small JSON
messages are published with nats-py to a stream of their own at the same concurrency, and one
durable pull consumer fetches up to 256 at a time, inserts one row per message into a SQLite
file (WAL, synchronous=NORMAL, via `shared.db.create_engine`) in one transaction, commits, then
acks them. Its figures are measured the same way: publish sent -> row committed and acked;
publish sent -> PubAck received.

The table shows platform/baseline for each figure: below 1 for a rate, or above 1 for a
latency, means the platform is slower.

Figures are printed and written to bench/results/pipeline-<timestamp>.json. They are
indicative only: every process shares one machine with the idle platform while the baseline
runs.

Open loop (`--rates 50,100,200 --seconds 60`): afterwards, orders are offered at each fixed
rate, order i due at start + i / rate whether or not the earlier ones were answered; its
latency counts from that due time, not from when the client got round to sending it (no
coordinated omission). Printed: p50, p99 and max from HTTP request to ledger posting; p50 and
p99 to the HTTP 201 and to orders' own event reaching NATS; and, order by order, from its 201
to that event (the orders API's relay) and from that event to its posting (the ledger's part).

Run from the repository root:

    .venv/bin/python bench/pipeline.py --orders 500 --concurrency 16 --rates 50,100,200
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import dataclasses
import functools
import itertools
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import nats
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js.api import StorageType, StreamConfig
from nats.js.client import JetStreamContext
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, insert
from sqlalchemy.ext.asyncio import AsyncEngine

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from bench.results_file import RESULTS_DIR, save_results, timestamp  # noqa: E402
from services import registry  # noqa: E402
from services.seed.catalogue import CATALOGUE_CSV  # noqa: E402
from services.seed.files import SCHOOLS_CSV  # noqa: E402
from shared.auth import Role, issue_token  # noqa: E402
from shared.db import create_engine  # noqa: E402
from shared.http_transport import AiohttpTransport  # noqa: E402
from shared.settings import DEVELOPMENT_JWT_SECRET  # noqa: E402
from tests.support.nats_server import free_port  # noqa: E402

PLATFORM_COMMAND = Path(sys.executable).parent / "schools-platform"
POSTED_SUBJECT = "ledger.transaction.posted.v1"
RAISED_SUBJECT = "orders.invoice.raised.v1"  # the order's own event, on its way to the ledger
BASELINE_STREAM = "BENCH_BASELINE"
BASELINE_SUBJECT = "bench.baseline.msg"
ORDERING_SCHOOLS = 16  # distinct real URNs the orders rotate through, one token each
STARTUP_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0
IDLE_SETTLE_SECONDS = 3.0
IDLE_SECONDS = 20.0


# --- timings and figures -----------------------------------------------------------------


@dataclass
class Timings:
    """When each item of a run (an order or a message, by its key) was sent, answered (HTTP
    201, or PubAck) and completed (ledger posting arrived, or row committed and acked), in
    time.perf_counter seconds of this process; and what went wrong."""

    sent: dict[str, float] = field(default_factory=dict)
    answered: dict[str, float] = field(default_factory=dict)
    completed: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figures:
    label: str
    attempted: int
    end_to_end: list[float] = field(repr=False)
    request: list[float] = field(repr=False)
    elapsed_seconds: float  # first sent -> last completed
    request_phase_seconds: float  # first sent -> last answered
    problems: list[str]
    idle_cpu_percent: float | None = None  # of one core, the whole platform at rest
    # CPU each process spent per order completed (ms), over the run: where the work goes
    cpu_ms_per_order: dict[str, float] = field(default_factory=dict)
    kb_written_per_order: dict[str, float] = field(default_factory=dict)
    # the benchmark's own client (this process), on the same cores but not in the sum above
    client_cpu_ms_per_order: float | None = None
    # open loop: from each order's due time until orders' own event was published; from its
    # 201 until then (the orders API's relay); from then until its posting (the ledger's part)
    raised: list[float] = field(default_factory=list, repr=False)
    raised_after_answer: list[float] = field(default_factory=list, repr=False)
    posted_after_raised: list[float] = field(default_factory=list, repr=False)
    # open loop: each process's garbage collections, and those over 10 ms ("<process> over …")
    gc_pauses: dict[str, int] = field(default_factory=dict)
    # open loop: each process's events a batch, its consumers' fetches and its relay's turns
    events_a_batch: dict[str, dict[str, float]] = field(default_factory=dict)
    # open loop: when the slowest 1% of orders were due, as bursts (see `slowest_bursts`)
    slowest: list[Burst] = field(default_factory=list)

    @classmethod
    def of(cls, label: str, timings: Timings) -> Figures:
        sent = timings.sent
        answered = {key: at for key, at in timings.answered.items() if key in sent}
        completed = {key: at for key, at in timings.completed.items() if key in sent}
        first_sent = min(sent.values(), default=0.0)
        unfinished = len(answered) - len(completed)
        return cls(
            label=label,
            attempted=len(sent),
            end_to_end=[at - sent[key] for key, at in completed.items()],
            request=[at - sent[key] for key, at in answered.items()],
            elapsed_seconds=max(completed.values(), default=first_sent) - first_sent,
            request_phase_seconds=max(answered.values(), default=first_sent) - first_sent,
            problems=timings.problems
            + [f"answered but not completed in time: {unfinished}"] * (unfinished > 0),
        )

    def summary(self) -> dict[str, float | int | str]:
        return {
            "label": self.label,
            "attempted": self.attempted,
            "completed": len(self.end_to_end),
            "failed": self.attempted - len(self.end_to_end),
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "per_second": rate(len(self.end_to_end), self.elapsed_seconds),
            "answered_per_second": rate(len(self.request), self.request_phase_seconds),
            "end_to_end_p50_ms": milliseconds(percentile(self.end_to_end, 0.50)),
            "end_to_end_p99_ms": milliseconds(percentile(self.end_to_end, 0.99)),
            "end_to_end_max_ms": milliseconds(max(self.end_to_end, default=math.nan)),
            "request_p50_ms": milliseconds(percentile(self.request, 0.50)),
            "request_p99_ms": milliseconds(percentile(self.request, 0.99)),
            **(
                {
                    f"{name}_p{round(fraction * 100)}_ms": milliseconds(
                        percentile(values, fraction)
                    )
                    for name, values in (
                        ("raised", self.raised),
                        ("raised_after_answer", self.raised_after_answer),
                        ("posted_after_raised", self.posted_after_raised),
                    )
                    for fraction in (0.50, 0.99)
                }
                if self.raised
                else {}
            ),
        }


@dataclass(frozen=True)
class Burst:
    """Orders of the slowest 1% that were due close together: when (seconds into the run), for
    how long, how many, and each leg's worst among them (ms): to the HTTP 201, from the 201 to
    orders' event on NATS (the orders API's relay), and from then to the posting (the ledger)."""

    at_seconds: float
    seconds: float
    orders: int
    http_ms: float
    relay_ms: float
    ledger_ms: float


BURST_GAP_SECONDS = 0.5  # slow orders due further apart than this are separate bursts


def slowest_bursts(
    timings: Timings, arrived: dict[str, float], *, fraction: float = 0.01
) -> list[Burst]:
    """The slowest `fraction` of the orders posted, grouped by when they were due: whether a
    run's p99 was set by a few stalls (a burst or two) or by waits spread over the run."""
    sent, completed = timings.sent, timings.completed
    posted = sorted(completed, key=lambda key: completed[key] - sent[key])
    slow = sorted(posted[len(posted) - math.ceil(fraction * len(posted)) :], key=sent.__getitem__)
    if not slow:
        return []
    start = min(sent.values())
    groups: list[list[str]] = [[slow[0]]]
    for key in slow[1:]:
        if sent[key] - sent[groups[-1][-1]] > BURST_GAP_SECONDS:
            groups.append([])
        groups[-1].append(key)

    def worst(keys: list[str], since: dict[str, float], until: dict[str, float]) -> float:
        legs = [until[key] - since[key] for key in keys if key in since and key in until]
        return milliseconds(max(legs, default=math.nan))

    return [
        Burst(
            at_seconds=round(sent[keys[0]] - start, 2),
            seconds=round(sent[keys[-1]] - sent[keys[0]], 2),
            orders=len(keys),
            http_ms=worst(keys, sent, timings.answered),
            relay_ms=worst(keys, timings.answered, arrived),
            ledger_ms=worst(keys, arrived, completed),
        )
        for keys in groups
    ]


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else math.nan


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or below."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def milliseconds(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def offer_at_rate(
    per_second: float, seconds: float, job: Callable[[int, float], Coroutine[Any, Any, None]]
) -> None:
    """Open loop: job(i, due) starts at its due time, start + i / per_second, whether or not
    the earlier ones have finished; a job that starts late still counts from its due time, so
    a slow platform cannot hide its queue (no coordinated omission)."""
    start = time.perf_counter()
    jobs: list[asyncio.Task[None]] = []
    for index in range(round(per_second * seconds)):
        due = start + index / per_second
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        jobs.append(asyncio.create_task(job(index, due)))
    await asyncio.gather(*jobs)


async def run_concurrently(
    count: int, concurrency: int, job: Callable[[int], Awaitable[None]]
) -> None:
    """Run job(0) .. job(count - 1), at most `concurrency` at a time, in order of index."""
    indices = iter(range(count))

    async def lane() -> None:
        for index in indices:
            await job(index)

    await asyncio.gather(*(lane() for _ in range(concurrency)))


# --- the platform as separate processes ----------------------------------------------------


@dataclass
class RunningPlatform:
    process: subprocess.Popen[bytes]
    log_path: Path
    data_dir: Path
    http_ports: dict[str, int]
    metrics_ports: dict[str, int]  # each worker's /metrics

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.http_ports[service]}"

    def environment(self) -> dict[str, str]:
        """The environment its processes run in: for a command run beside them."""
        return platform_environment(self.data_dir, self.http_ports, self.metrics_ports)

    def metrics_urls(self) -> dict[str, str]:
        """Each API's and each worker's /metrics, by the process's name."""
        return {
            **{f"api {name}": f"{self.url(name)}/metrics" for name in self.http_ports},
            **{
                f"worker {name}": f"http://127.0.0.1:{port}/metrics"
                for name, port in self.metrics_ports.items()
            },
        }

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def nats_url(self) -> str | None:
        found = re.search(r"NATS\s+(nats://\S+)", self.log())
        return found.group(1) if found else None

    def child_process_groups(self) -> list[int]:
        """The process groups honcho started (each child leads a session of its own)."""
        return [int(pid) for pid in re.findall(r"started \(pid=(\d+)\)", self.log())]

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"schools-platform up exited with {self.process.returncode}:\n{self.log()[-3000:]}"
            )


def platform_environment(
    data_dir: Path, http_ports: dict[str, int], metrics_ports: dict[str, int]
) -> dict[str, str]:
    """Our environment, minus anything pointing the platform at other NATS or databases."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "NATS_URL" and not key.endswith(("_NATS_URL", "_DATABASE_URL"))
    }
    environment["PLATFORM_DATA_DIR"] = str(data_dir)
    environment["PYTHONUNBUFFERED"] = "1"
    # Every port free, not the defaults: another platform (a second run, a developer's) may
    # hold those on this machine.
    for service, port in http_ports.items():
        environment[f"{service.upper()}_HTTP_PORT"] = str(port)
        environment[f"{service.upper()}_METRICS_PORT"] = str(metrics_ports[service])
    environment["PORTAL_HTTP_PORT"] = str(free_port())
    return environment


@contextlib.contextmanager
def running_platform(work_dir: Path, *, keep_log: bool) -> Iterator[RunningPlatform]:
    """`schools-platform up` in its own process group; stopped with SIGINT (then SIGKILL) on the way out.
    Its output is copied to bench/results/ on error, or always with `keep_log`."""
    if not PLATFORM_COMMAND.exists():
        raise SystemExit(f"{PLATFORM_COMMAND} not found: run with the project's .venv/bin/python")
    data_dir = work_dir / "platform-data"
    http_ports = {service: free_port() for service in registry.NAMES}
    metrics_ports = {service: free_port() for service in registry.NAMES}
    log_path = work_dir / "schools-platform-up.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [str(PLATFORM_COMMAND), "up"],
            cwd=REPOSITORY,
            env=platform_environment(data_dir, http_ports, metrics_ports),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = RunningPlatform(process, log_path, data_dir, http_ports, metrics_ports)
    try:
        yield running
    except BaseException:
        stop_platform(running)
        print(f"the platform's output is kept in {save_log(running)}", file=sys.stderr)
        raise
    stop_platform(running)
    if keep_log:
        print(f"  the platform's output is kept in {save_log(running)}")


def save_log(running: RunningPlatform) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    kept = RESULTS_DIR / f"schools-platform-up-{timestamp()}.log"
    kept.write_text(running.log())
    return kept


def stop_platform(running: RunningPlatform) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(running.process.pid, signal.SIGINT)  # honcho stops its children itself
    try:
        running.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait()
    kill_leftover_children(running)


def kill_leftover_children(running: RunningPlatform) -> None:
    """SIGKILL any process group honcho started that outlived it, if it is still ours."""
    marker = f"PLATFORM_DATA_DIR={running.data_dir}\0".encode()
    for group in running.child_process_groups():
        try:
            environment = Path(f"/proc/{group}/environ").read_bytes()
        except OSError:
            continue  # already gone
        if marker in environment:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)


async def wait_until_ready(
    running: RunningPlatform, client: httpx.AsyncClient, token: str
) -> tuple[str, list[str]]:
    """Wait for every /readyz and for orders to list the seeded services; return the NATS URL
    and the ids of those a school may order again and again."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    for service in registry.NAMES:
        await poll(running, deadline, functools.partial(readyz_ok, client, running.url(service)))
    listings = await poll(
        running, deadline, functools.partial(seeded_listings, client, running, token)
    )
    nats_url = running.nats_url()
    if nats_url is None:
        raise RuntimeError("schools-platform up did not print its NATS URL")
    return nats_url, listings


async def poll(
    running: RunningPlatform, deadline: float, check: Callable[[], Awaitable[Any]]
) -> Any:
    while time.monotonic() < deadline:
        running.check_alive()
        with contextlib.suppress(httpx.HTTPError):
            if result := await check():
                return result
        await asyncio.sleep(0.2)
    raise TimeoutError(f"platform not ready in {STARTUP_TIMEOUT:.0f} s:\n{running.log()[-3000:]}")


async def readyz_ok(client: httpx.AsyncClient, base_url: str) -> bool:
    return (await client.get(f"{base_url}/readyz")).status_code == 200


@functools.cache
def published_in_seed() -> int:
    with CATALOGUE_CSV.open(newline="") as sheet:
        return sum(row["status"] == "published" for row in csv.DictReader(sheet))


async def seeded_listings(
    client: httpx.AsyncClient, running: RunningPlatform, token: str
) -> list[str]:
    response = await client.get(
        f"{running.url('orders')}/listings", headers={"Authorization": f"Bearer {token}"}
    )
    if response.status_code != 200:
        return []
    listed = response.json()
    if len(listed) < published_in_seed():
        return []
    # A subscription (or a bundle of them) is bought for a school once a year: ordered again
    # for the same school it is refused, so the orders go round the services bought at will.
    # A course with dated sessions is bought on one of them, which an order straight from a
    # list of services does not name: the orders go round the courses never dated.
    at_will = [
        listing for listing in listed if listing["service_type"] not in ("subscription", "bundle")
    ]
    return [
        listing["service_id"]
        for listing in at_will
        if listing["service_type"] != "course"
        or not await course_sessions(client, running, token, listing["service_id"])
    ]


async def course_sessions(
    client: httpx.AsyncClient, running: RunningPlatform, token: str, service_id: str
) -> list[Any]:
    response = await client.get(
        f"{running.url('catalogue')}/services/{service_id}/sessions",
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    return list(response.json())


# --- the platform benchmark ----------------------------------------------------------------


@dataclass
class OrderPlacer:
    """Places invoice orders for real schools, each school with its own token."""

    client: httpx.AsyncClient
    orders_url: str
    school_tokens: dict[int, str]
    service_ids: list[str]

    async def place(self, index: int, *, timings: Timings, due: float | None = None) -> None:
        """Place one order; its latency counts from `due` (open loop) or from now."""
        urn = list(self.school_tokens)[index % len(self.school_tokens)]
        service_id = self.service_ids[index % len(self.service_ids)]
        correlation_id = f"bench-{uuid.uuid4()}"
        body = {
            "urn": urn,
            "lines": [{"service_id": service_id, "quantity": 2}],
            "payment_method": "invoice",
            "purchase_order": "PO-BENCH-1",
        }
        headers = {
            "Authorization": f"Bearer {self.school_tokens[urn]}",
            "X-Correlation-Id": correlation_id,
        }
        timings.sent[correlation_id] = time.perf_counter() if due is None else due
        try:
            response = await self.client.post(
                f"{self.orders_url}/orders", json=body, headers=headers
            )
        except httpx.TransportError as error:
            timings.problems.append(f"{type(error).__name__} {error}")
            return
        if response.status_code != 201:
            timings.problems.append(f"{response.status_code} {response.text[:200]}")
            return
        timings.answered[correlation_id] = time.perf_counter()


class PostingWatcher:
    """Notes when each correlation id's `ledger.transaction.posted.v1` (or another subject's
    event) reaches this process."""

    def __init__(self, subject: str = POSTED_SUBJECT) -> None:
        self.subject = subject
        self.arrived: dict[str, float] = {}

    async def start(self, connection: NatsClient) -> None:
        await connection.subscribe(self.subject, cb=self._on_posting)

    async def _on_posting(self, message: Msg) -> None:
        arrived = time.perf_counter()
        correlation_id = json.loads(message.data)["correlation_id"]
        self.arrived.setdefault(correlation_id, arrived)

    async def wait_for(self, timings: Timings, timeout: float) -> None:
        """Wait until every answered order's posting arrived (or timeout); note them."""
        deadline = time.monotonic() + timeout
        while not timings.answered.keys() <= self.arrived.keys() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        timings.completed = {key: self.arrived[key] for key in timings.sent if key in self.arrived}


def school_urns(count: int) -> list[int]:
    with SCHOOLS_CSV.open(newline="") as register:
        return [int(row["urn"]) for row in itertools.islice(csv.DictReader(register), count)]


def school_token(urn: int) -> str:
    return issue_token(secret=DEVELOPMENT_JWT_SECRET, subject="bench", role=Role.SCHOOL, urn=urn)


async def warm_up(placer: OrderPlacer, watcher: PostingWatcher, count: int) -> None:
    """A few orders first, all the way to the ledger: proves every worker runs, and keeps
    first-request costs out of the figures."""
    timings = Timings()
    for index in range(count):
        await placer.place(index, timings=timings)
    if timings.problems:
        raise RuntimeError(f"a warm-up order failed: {timings.problems[0]}")
    await watcher.wait_for(timings, timeout=STARTUP_TIMEOUT)
    if len(timings.completed) < count:
        raise TimeoutError("the warm-up orders never reached the ledger")


@dataclass(frozen=True)
class Usage:
    """What the platform's processes have used so far, each by what it runs ("api orders",
    "worker ledger", "nats-server", ...)."""

    cpu_seconds: dict[str, float]
    kb_written: dict[str, float]  # to storage: database pages, write-ahead logs, streams
    client_cpu_seconds: float  # this process's: the benchmark's own client

    @classmethod
    def now(cls, process_groups: list[int]) -> Usage:
        ticks: Counter[str] = Counter()
        written: Counter[str] = Counter()
        for process in Path("/proc").glob("[0-9]*"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) not in process_groups:
                    continue
                name = process_name((process / "cmdline").read_bytes().decode().split("\0"))
                ticks[name] += int(fields[11]) + int(fields[12])
                # Read last: where /proc/<pid>/io is not readable (some containers), the CPU
                # above still counts.
                io = (process / "io").read_text().splitlines()
                written[name] += next(
                    (int(line.split()[1]) for line in io if line.startswith("write_bytes:")), 0
                )
        return cls(
            {name: count / os.sysconf("SC_CLK_TCK") for name, count in ticks.items()},
            {name: count / 1024 for name, count in written.items()},
            time.process_time(),
        )

    def per_item_since(self, before: Usage, items: int) -> UsePerItem:
        """What each process used per item since `before`, most first, and the client's."""
        client = self.client_cpu_seconds - before.client_cpu_seconds
        return UsePerItem(
            per_item(before.cpu_seconds, self.cpu_seconds, items, scale=1000),
            per_item(before.kb_written, self.kb_written, items, scale=1),
            round(client * 1000 / items, 2) if items else None,
        )


class UsePerItem(NamedTuple):
    cpu_ms: dict[str, float]
    kb_written: dict[str, float]
    client_cpu_ms: float | None  # the benchmark's own process


def cpu_seconds_by_process(process_groups: list[int]) -> dict[str, float]:
    return Usage.now(process_groups).cpu_seconds


def process_name(arguments: list[str]) -> str:
    if "services.cli" in arguments:
        return " ".join(arguments[arguments.index("services.cli") + 1 :]).strip()
    if "python" in Path(arguments[0]).name and "-m" in arguments:
        return arguments[arguments.index("-m") + 1].rsplit(".", 1)[-1]
    return Path(arguments[0]).name


def per_item(
    before: dict[str, float], after: dict[str, float], items: int, *, scale: float
) -> dict[str, float]:
    """Each process's use per item between two readings (times `scale`), most first, with the
    total."""
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    shares = {
        name: round(scale * used / items, 2)
        for name, used in sorted(spent.items(), key=lambda item: -item[1])
        if items and used > 0
    }
    return {"all processes": round(sum(shares.values()), 2), **shares}


def cpu_ms_per_item(
    before: dict[str, float], after: dict[str, float], items: int
) -> dict[str, float]:
    return per_item(before, after, items, scale=1000)


def print_cpu_per_item(
    cpu_ms: dict[str, float],
    item: str,
    kb_written: dict[str, float] | None = None,
    *,
    client_ms: float | None = None,
) -> None:
    if not cpu_ms:
        return
    print(f"  CPU per {item} (ms), by process (2 cores shared: the sum bounds the rate)")
    if kb_written is not None:
        print(f"    {'':<26}{'CPU ms':>10}{'KB written':>12}")
    for name, milliseconds_spent in cpu_ms.items():
        written = f"{kb_written.get(name, 0.0):>12}" if kb_written is not None else ""
        print(f"    {name:<26}{milliseconds_spent:>10}{written}")
    if client_ms is not None:
        print(
            f"    {'(the benchmark client)':<26}{client_ms:>10}   on the same cores, not in the sum"
        )
    print()


GC_PAUSE_BUCKET = re.compile(
    r'^gc_pause_seconds_bucket\{generation="\d",le="([^"]+)"\} (\S+)$', re.MULTILINE
)
LONG_GC_PAUSE = "0.01"  # a bucket's bound on /metrics: pauses longer than 10 ms
BATCH_TOTAL = re.compile(
    r"^(consumer|outbox_relay)_batch_events_(sum|count)\{[^}]*\} (\S+)$", re.MULTILINE
)
BATCHERS = {"consumer": "consumers", "outbox_relay": "relay"}


async def scraped(client: httpx.AsyncClient, running: RunningPlatform) -> dict[str, str]:
    """Each process's /metrics, by the process's name (a process that did not answer left out)."""
    found = {}
    for name, url in running.metrics_urls().items():
        with contextlib.suppress(httpx.HTTPError):
            found[name] = (await client.get(url)).text
    return found


def gc_pauses(metrics: dict[str, str]) -> Counter[str]:
    """Each process's garbage collections so far (all generations), and how many of them took
    longer than 10 ms (as "<process> over 10 ms")."""
    found: Counter[str] = Counter()
    for name, text in metrics.items():
        buckets = Counter[str]()
        for bound, count in GC_PAUSE_BUCKET.findall(text):
            buckets[bound] += int(float(count))
        found[name] += buckets["+Inf"]
        found[f"{name} over 10 ms"] += buckets["+Inf"] - buckets[LONG_GC_PAUSE]
    return found


def batch_totals(metrics: dict[str, str]) -> Counter[str]:
    """Each process's events and batches so far, its consumers' fetches and its relay's turns
    apart (as "<process>|consumers|sum", "<process>|relay|count" and so on)."""
    found: Counter[str] = Counter()
    for name, text in metrics.items():
        for batcher, part, value in BATCH_TOTAL.findall(text):
            found[f"{name}|{BATCHERS[batcher]}|{part}"] += int(float(value))  # whole events
    return found


def events_a_batch(totals: Counter[str]) -> dict[str, dict[str, float]]:
    """From the totals over a run: each process's events a batch, its consumers' and its
    relay's (those that had none left out)."""
    found: dict[str, dict[str, float]] = {}
    for key, batches in totals.items():
        name, batcher, part = key.split("|")
        if part == "count" and batches > 0:
            events = totals[f"{name}|{batcher}|sum"]
            found.setdefault(name, {})[batcher] = round(events / batches, 2)
    return dict(sorted(found.items()))


async def idle_cpu_percent(running: RunningPlatform, seconds: float, *, shown: int = 4) -> float:
    """How much of one core the whole platform uses while nothing happens (printing the
    `shown` processes that use the most)."""
    groups = running.child_process_groups()
    before = cpu_seconds_by_process(groups)
    await asyncio.sleep(seconds)
    after = cpu_seconds_by_process(groups)
    percent = {name: 100 * (after[name] - before.get(name, 0.0)) / seconds for name in after}
    busiest = sorted(percent.items(), key=lambda item: -item[1])[:shown]
    print("  idle, the busiest: " + ", ".join(f"{name} {share:.1f}%" for name, share in busiest))
    return sum(percent.values())


async def benchmark_idle(running: RunningPlatform, warmup: int, runs: int) -> list[float]:
    """Only the idle platform: ready, the warm-up orders, then `runs` measurements of
    IDLE_SECONDS each, every process named."""
    tokens = {urn: school_token(urn) for urn in school_urns(ORDERING_SCHOOLS)}
    async with httpx.AsyncClient(timeout=30.0) as client:
        nats_url, service_ids = await wait_until_ready(running, client, next(iter(tokens.values())))
        connection = await nats.connect(nats_url)
        try:
            watcher = PostingWatcher()
            await watcher.start(connection)
            await warm_up(
                OrderPlacer(client, running.url("orders"), tokens, service_ids), watcher, warmup
            )
        finally:
            await connection.close()
    await asyncio.sleep(IDLE_SETTLE_SECONDS)
    measured = []
    for _ in range(runs):
        idle = await idle_cpu_percent(running, IDLE_SECONDS, shown=100)
        print(f"idle platform: {idle:.1f}% of one core over {IDLE_SECONDS:.0f} s", flush=True)
        measured.append(idle)
    return measured


async def benchmark_platform(
    running: RunningPlatform,
    orders: int,
    concurrency: int,
    warmup: int,
    timeout: float,
    *,
    rates: tuple[float, ...] = (),
    open_seconds: float = 60.0,
) -> tuple[Figures, str, list[Figures]]:
    """Returns the figures, the platform's NATS URL (for the baseline), and the open-loop runs
    at each of `rates` orders/s."""
    tokens = {urn: school_token(urn) for urn in school_urns(ORDERING_SCHOOLS)}
    pool = max(concurrency, 512 if rates else 0)  # open loop: never held back by the client
    # The platform's own cheap transport: httpx's pool looks at every connection it holds on
    # each request, and at 200 orders/s offered the benchmark then took a core of its own.
    transport = AiohttpTransport(connections=pool)
    async with httpx.AsyncClient(timeout=30.0, transport=transport) as client:
        nats_url, service_ids = await wait_until_ready(running, client, next(iter(tokens.values())))
        connection = await nats.connect(nats_url)
        try:
            watcher = PostingWatcher()
            await watcher.start(connection)
            raised = PostingWatcher(RAISED_SUBJECT)
            await raised.start(connection)
            placer = OrderPlacer(client, running.url("orders"), tokens, service_ids)
            await warm_up(placer, watcher, warmup)
            await asyncio.sleep(IDLE_SETTLE_SECONDS)
            idle = await idle_cpu_percent(running, IDLE_SECONDS)
            print(f"idle platform: {idle:.1f}% of one core over {IDLE_SECONDS:.0f} s", flush=True)
            print(f"platform ready; placing {orders} orders, {concurrency} at a time", flush=True)
            timings = Timings()
            before = Usage.now(running.child_process_groups())
            await run_concurrently(
                orders, concurrency, functools.partial(placer.place, timings=timings)
            )
            await watcher.wait_for(timings, timeout=timeout)
            after = Usage.now(running.child_process_groups())
            offered = [
                await offered_load(
                    placer, watcher, raised, per_second, seconds=open_seconds, running=running
                )
                for per_second in rates
            ]
        finally:
            await connection.close()
    figures = Figures.of("platform: HTTP order -> ledger posting", timings)
    used = after.per_item_since(before, len(timings.completed))
    return (
        dataclasses.replace(
            figures,
            idle_cpu_percent=idle,
            cpu_ms_per_order=used.cpu_ms,
            kb_written_per_order=used.kb_written,
            client_cpu_ms_per_order=used.client_cpu_ms,
        ),
        nats_url,
        offered,
    )


async def offered_load(
    placer: OrderPlacer,
    watcher: PostingWatcher,
    raised: PostingWatcher,
    per_second: float,
    *,
    seconds: float,
    running: RunningPlatform,
) -> Figures:
    print(f"open loop: {per_second:g} orders/s offered for {seconds:g} s ...", flush=True)
    timings = Timings()

    async def place(index: int, due: float) -> None:
        await placer.place(index, timings=timings, due=due)

    metrics_before = await scraped(placer.client, running)
    before = Usage.now(running.child_process_groups())
    await offer_at_rate(per_second, seconds, place)
    await watcher.wait_for(timings, timeout=max(60.0, seconds))
    used = Usage.now(running.child_process_groups()).per_item_since(before, len(timings.completed))
    metrics_after = await scraped(placer.client, running)
    pauses = gc_pauses(metrics_after) - gc_pauses(metrics_before)
    batched = events_a_batch(batch_totals(metrics_after) - batch_totals(metrics_before))
    arrived = {key: at for key, at in raised.arrived.items() if key in timings.sent}
    figures = dataclasses.replace(
        Figures.of(f"open loop, {per_second:g} orders/s offered", timings),
        raised=[at - timings.sent[key] for key, at in arrived.items()],
        raised_after_answer=[
            at - timings.answered[key] for key, at in arrived.items() if key in timings.answered
        ],
        posted_after_raised=[
            timings.completed[key] - at for key, at in arrived.items() if key in timings.completed
        ],
        cpu_ms_per_order=used.cpu_ms,
        kb_written_per_order=used.kb_written,
        client_cpu_ms_per_order=used.client_cpu_ms,
        gc_pauses=dict(pauses.most_common()),
        events_a_batch=batched,
        slowest=slowest_bursts(timings, arrived),
    )
    summary = figures.summary()
    print(
        f"  {summary['completed']} of {summary['attempted']} posted; HTTP -> ledger posting "
        f"p50 {summary['end_to_end_p50_ms']} ms, p99 {summary['end_to_end_p99_ms']} ms, "
        f"max {summary['end_to_end_max_ms']} ms (HTTP 201 p50 {summary['request_p50_ms']} ms, "
        f"p99 {summary['request_p99_ms']} ms; {RAISED_SUBJECT} published p50 "
        f"{summary.get('raised_p50_ms')} ms, p99 {summary.get('raised_p99_ms')} ms; "
        f"201 -> published p50 {summary.get('raised_after_answer_p50_ms')} ms, "
        f"p99 {summary.get('raised_after_answer_p99_ms')} ms; published -> posted p50 "
        f"{summary.get('posted_after_raised_p50_ms')} ms, "
        f"p99 {summary.get('posted_after_raised_p99_ms')} ms); "
        f"{summary['per_second']} posted/s; per order {used.cpu_ms['all processes']} ms of CPU, "
        f"{used.kb_written['all processes']} KB written",
        flush=True,
    )
    collections = [name for name in figures.gc_pauses if not name.endswith(" over 10 ms")]
    print(
        "  garbage collections meanwhile (over 10 ms): "
        + ", ".join(
            f"{name} {pauses[name]} ({pauses[f'{name} over 10 ms']})" for name in collections
        ),
        flush=True,
    )
    print(
        "  events a batch meanwhile (consumers' fetches / relay's turns): "
        + ", ".join(
            f"{name} {shares.get('consumers', '-')} / {shares.get('relay', '-')}"
            for name, shares in batched.items()
        ),
        flush=True,
    )
    print_slowest(figures.slowest)
    return figures


def print_slowest(bursts: list[Burst], *, shown: int = 3) -> None:
    """When the slowest 1% were due, the largest bursts first, each leg's worst beside it."""
    if not bursts:
        return
    orders = sum(burst.orders for burst in bursts)
    largest = sorted(bursts, key=lambda burst: burst.orders, reverse=True)[:shown]
    print(
        f"  the slowest 1% ({orders} orders) were due in {len(bursts)} burst(s); the largest: "
        + "; ".join(
            f"{burst.orders} at {burst.at_seconds} s over {burst.seconds} s (worst HTTP "
            f"{burst.http_ms}, 201 -> NATS {burst.relay_ms}, NATS -> posting "
            f"{burst.ledger_ms} ms)"
            for burst in largest
        ),
        flush=True,
    )


# --- the baseline: raw JetStream, one SQLite insert and commit per message ------------------

received = Table(
    "received",
    MetaData(),
    Column("position", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(64), nullable=False),
    Column("body", String, nullable=False),
    Column("received_at", Float, nullable=False),
)


async def benchmark_baseline(
    nats_url: str, database_path: Path, messages: int, concurrency: int, timeout: float
) -> Figures:
    engine = create_engine(f"sqlite+aiosqlite:///{database_path}")
    connection = await nats.connect(nats_url)
    timings = Timings()
    try:
        async with engine.begin() as db:
            await db.run_sync(received.metadata.create_all)
        jetstream = connection.jetstream()
        await jetstream.add_stream(
            StreamConfig(
                name=BASELINE_STREAM, subjects=["bench.baseline.>"], storage=StorageType.FILE
            )
        )
        subscription = await jetstream.pull_subscribe(
            BASELINE_SUBJECT, durable="bench-baseline", stream=BASELINE_STREAM
        )
        consumer = asyncio.create_task(consume(subscription, engine, timings, messages))
        await run_concurrently(
            messages, concurrency, functools.partial(publish, jetstream, timings=timings)
        )
        try:
            await asyncio.wait_for(consumer, timeout)
        except TimeoutError:
            timings.problems.append(f"consumer still busy after {timeout:.0f} s")
        await jetstream.delete_stream(BASELINE_STREAM)
    finally:
        await connection.close()
        await engine.dispose()
    return Figures.of(
        "baseline: JetStream publish -> fetch 256 -> one SQLite commit -> ack", timings
    )


async def publish(jetstream: JetStreamContext, index: int, *, timings: Timings) -> None:
    message_id = f"bench-{index}"
    body = json.dumps({"message_id": message_id, "n": index}).encode()
    timings.sent[message_id] = time.perf_counter()
    try:
        await jetstream.publish(BASELINE_SUBJECT, body, stream=BASELINE_STREAM, timeout=10)
    except nats.errors.Error as error:
        timings.problems.append(f"publish: {type(error).__name__} {error}")
        return
    timings.answered[message_id] = time.perf_counter()


async def consume(
    subscription: JetStreamContext.PullSubscription,
    engine: AsyncEngine,
    timings: Timings,
    total: int,
) -> None:
    """The machine's limit for the same work: fetch up to 256, insert the batch in one
    transaction, commit, then ack each message."""
    while len(timings.completed) < total:
        try:
            batch = await subscription.fetch(256, timeout=1.0)
        except nats.errors.TimeoutError:
            continue
        message_ids = [json.loads(message.data)["message_id"] for message in batch]
        async with engine.begin() as db:
            await db.execute(
                insert(received),
                [
                    {
                        "message_id": message_id,
                        "body": message.data.decode(),
                        "received_at": time.time(),
                    }
                    for message_id, message in zip(message_ids, batch, strict=True)
                ],
            )
        for message_id, message in zip(message_ids, batch, strict=True):
            await message.ack()
            timings.completed[message_id] = time.perf_counter()


# --- report --------------------------------------------------------------------------------

ROWS = [  # title, summary key, whether platform/baseline is worth showing
    ("end-to-end throughput (/s)", "per_second", True),
    ("end-to-end p50 (ms)", "end_to_end_p50_ms", True),
    ("end-to-end p99 (ms)", "end_to_end_p99_ms", True),
    ("request rate (/s)", "answered_per_second", True),
    ("request p50 (ms)", "request_p50_ms", True),
    ("request p99 (ms)", "request_p99_ms", True),
    ("completed", "completed", False),
    ("failed or unfinished", "failed", False),
]


def ratios(platform_run: Figures, baseline: Figures) -> dict[str, float]:
    mine, theirs = platform_run.summary(), baseline.summary()
    return {
        key: round(float(mine[key]) / float(theirs[key]), 4)
        for _, key, compared in ROWS
        if compared and theirs[key]
    }


def print_table(platform_run: Figures, baseline: Figures) -> None:
    mine, theirs, ratio = platform_run.summary(), baseline.summary(), ratios(platform_run, baseline)
    print(f"""
  platform = {platform_run.label}
  baseline = {baseline.label}
  request  = HTTP POST /orders until its response (platform); publish until PubAck (baseline)
""")
    print(f"  {'':<28}{'platform':>10}{'baseline':>10}{'platform/baseline':>19}")
    for title, key, _ in ROWS:
        shown = f"{ratio[key]:.4f}" if key in ratio else ""
        print(f"  {title:<28}{mine[key]:>10}{theirs[key]:>10}{shown:>19}")
    for figures in (platform_run, baseline):
        for problem, count in Counter(figures.problems).most_common(5):
            print(f"  {figures.label.split(':')[0]} problem, {count} times: {problem}")
    print()


def print_open_loop(offered: list[Figures]) -> None:
    if not offered:
        return
    print("  open loop: HTTP order -> ledger posting, from each order's due time")
    print(
        f"  {'offered':<22}{'posted':>10}{'posted/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}"
        f"{'HTTP p50':>12}{'HTTP p99':>12}"
    )
    for figures in offered:
        row = figures.summary()
        posted = f"{row['completed']}/{row['attempted']}"
        print(
            f"  {figures.label.removeprefix('open loop, '):<22}{posted:>10}{row['per_second']:>10}"
            f"{row['end_to_end_p50_ms']:>10}{row['end_to_end_p99_ms']:>10}"
            f"{row['end_to_end_max_ms']:>10}{row['request_p50_ms']:>12}{row['request_p99_ms']:>12}"
        )
    print()


def save_figures(
    arguments: argparse.Namespace,
    platform_run: Figures,
    baseline: Figures,
    offered: list[Figures] = [],  # noqa: B006
) -> Path:
    return save_results(
        "pipeline",
        arguments,
        {
            "platform": platform_run.summary(),
            "baseline": baseline.summary(),
            "platform_over_baseline": ratios(platform_run, baseline),
            "idle_platform_cpu_percent_of_one_core": round(platform_run.idle_cpu_percent or 0, 2),
            "cpu_ms_per_order": platform_run.cpu_ms_per_order,
            "kb_written_per_order": platform_run.kb_written_per_order,
            "client_cpu_ms_per_order": platform_run.client_cpu_ms_per_order,
            "open_loop": [
                {
                    **figures.summary(),
                    "cpu_ms_per_order": figures.cpu_ms_per_order,
                    "kb_written_per_order": figures.kb_written_per_order,
                    "client_cpu_ms_per_order": figures.client_cpu_ms_per_order,
                    "gc_pauses": figures.gc_pauses,
                    "events_a_batch": figures.events_a_batch,
                    "slowest_bursts": [dataclasses.asdict(burst) for burst in figures.slowest],
                }
                for figures in offered
            ],
            "problems": {"platform": platform_run.problems, "baseline": baseline.problems},
            "raw_seconds": {
                "platform": {
                    "end_to_end": platform_run.end_to_end,
                    "request": platform_run.request,
                },
                "baseline": {"end_to_end": baseline.end_to_end, "request": baseline.request},
            },
        },
    )


# --- entry point ---------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500, help="orders (and baseline messages)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--warmup", type=int, default=5, help="orders before measuring")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait per run")
    parser.add_argument(
        "--rates",
        type=lambda text: tuple(float(rate) for rate in text.split(",") if rate),
        default=(),
        help="open loop afterwards: orders offered per second, e.g. 50,100,200",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="of each open-loop rate")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    parser.add_argument(
        "--idle-only",
        type=int,
        metavar="RUNS",
        default=0,
        help="measure only the idle platform, RUNS times, every process named (nothing saved)",
    )
    parser.add_argument(
        "--keep-log",
        action="store_true",
        help="copy the output of schools-platform up to bench/results/",
    )
    return parser.parse_args(argv)


async def benchmark(
    arguments: argparse.Namespace, running: RunningPlatform, work_dir: Path
) -> tuple[Figures, Figures, list[Figures]]:
    platform_run, nats_url, offered = await benchmark_platform(
        running,
        arguments.orders,
        arguments.concurrency,
        arguments.warmup,
        arguments.timeout,
        rates=arguments.rates,
        open_seconds=arguments.seconds,
    )
    print("baseline: raw JetStream publish -> consume -> SQLite insert", flush=True)
    baseline = await benchmark_baseline(
        nats_url,
        work_dir / "baseline.db",
        arguments.orders,
        arguments.concurrency,
        arguments.timeout,
    )
    return platform_run, baseline, offered


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    if arguments.idle_only:
        run_idle_only(arguments)
        return
    try:
        platform_run, baseline, offered = run(arguments)
    except KeyboardInterrupt:
        print("interrupted; the platform is stopped", file=sys.stderr)
        raise SystemExit(130) from None
    print_table(platform_run, baseline)
    print_cpu_per_item(
        platform_run.cpu_ms_per_order,
        "order",
        platform_run.kb_written_per_order,
        client_ms=platform_run.client_cpu_ms_per_order,
    )
    print_open_loop(offered)
    for figures in offered:
        print_cpu_per_item(
            figures.cpu_ms_per_order,
            f"order, {figures.label}",
            figures.kb_written_per_order,
            client_ms=figures.client_cpu_ms_per_order,
        )
    if not arguments.no_save:
        print(f"  written to {save_figures(arguments, platform_run, baseline, offered)}")


def run(arguments: argparse.Namespace) -> tuple[Figures, Figures, list[Figures]]:
    """Start the platform in a temporary directory, measure, stop it, remove the directory."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-pipeline-", ignore_cleanup_errors=True) as tmp,
        running_platform(Path(tmp), keep_log=arguments.keep_log) as running,
    ):
        print(
            f"starting the platform (schools-platform up, data in {running.data_dir}) ...",
            flush=True,
        )
        return asyncio.run(benchmark(arguments, running, Path(tmp)))


def run_idle_only(arguments: argparse.Namespace) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="bench-pipeline-", ignore_cleanup_errors=True) as tmp,
        running_platform(Path(tmp), keep_log=arguments.keep_log) as running,
    ):
        print(f"starting the platform (data in {running.data_dir}) ...", flush=True)
        measured = asyncio.run(benchmark_idle(running, arguments.warmup, arguments.idle_only))
    print("idle platform, % of one core: " + ", ".join(f"{idle:.1f}" for idle in measured))


if __name__ == "__main__":
    main()
