"""Benchmark: the national buy-back, compressed into one run.

What is measured
----------------
Every school in England (about 22,000; `--schools` for a quicker run) renews about 20 lines:
every subscription the seed sells (14), then consultancy days to make up the number. The
schools are SYNTHETIC: generated from the real Hertfordshire register's distribution of phase
and size (each synthetic school copies the phase, type and pupil count of a real school with a
known number on roll, drawn at random, under a made-up name and a URN from 900000 up), imported
into the orders service as a register extract would be. The real platform runs as separate
processes (`schools-platform up`, as in bench/pipeline.py); once the register has reached the
catalogue, each school places one invoice order over HTTP of the lines the catalogue prices for
a school of its kind, `--concurrency` at a time. Printed:

    first checkout -> last ledger posting   (the buy-back window, compressed)
    baseline                                = as many messages, one per order, through raw
                                              JetStream publish -> fetch 256 -> one SQLite
                                              commit -> ack, in the same run (bench/pipeline.py)
    each worker's throughput                = events it applied / that window (its /metrics)

Figures are printed and written to bench/results/buyback-<timestamp>.json; they share the
machine with everything else running on it.

Run from the repository root:

    .venv/bin/python bench/buyback.py --schools 500
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import functools
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import nats

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from bench.pipeline import (  # noqa: E402
    PLATFORM_COMMAND,
    PostingWatcher,
    RunningPlatform,
    Timings,
    benchmark_baseline,
    cpu_ms_per_item,
    cpu_seconds_by_process,
    poll,
    print_cpu_per_item,
    run_concurrently,
    running_platform,
    school_token,
    school_urns,
    wait_until_ready,
)
from bench.results_file import save_results  # noqa: E402
from services.seed.files import SCHOOLS_CSV  # noqa: E402

FIRST_SYNTHETIC_URN = 900_000


def synthetic_register(count: int, path: Path, seed: int = 15) -> dict[int, str]:
    """`count` made-up schools, each with the phase, type and size of a real one; their URNs,
    each with its kind (phase and type, which decide what the catalogue prices for it)."""
    with SCHOOLS_CSV.open(newline="") as sheet:
        real = [school for school in csv.DictReader(sheet) if school["pupils"]]  # priced by size
    chance = random.Random(seed)
    urns = {}
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(real[0]))
        writer.writeheader()
        for index in range(count):
            model = chance.choice(real)
            urn = FIRST_SYNTHETIC_URN + index
            writer.writerow(
                model | {"urn": urn, "name": f"Synthetic school {index + 1}", "postcode": ""}
            )
            urns[urn] = f"{model['phase']} / {model['establishment_type']}"
    return urns


def import_register(running: RunningPlatform, path: Path) -> None:
    subprocess.run(
        [str(PLATFORM_COMMAND), "import-schools", str(path)],
        env=running.environment(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


async def quote_status(
    client: httpx.AsyncClient, running: RunningPlatform, urn: int, service_id: str
) -> int:
    """The catalogue's answer to a quote of `service_id` for `urn`: 200 priced, 422 not priced
    for a school of its kind, 404 a school it does not know (yet: the imported register
    reaches it as events)."""
    response = await client.post(
        f"{running.url('catalogue')}/quotes",
        json={"urn": urn, "service_id": service_id, "quantity": 1},
        headers={"Authorization": f"Bearer {school_token(urn)}"},
    )
    return response.status_code


async def known_to_the_catalogue(
    client: httpx.AsyncClient, running: RunningPlatform, urn: int, service_id: str
) -> bool:
    return await quote_status(client, running, urn, service_id) != 404


async def lines_by_school(
    client: httpx.AsyncClient,
    running: RunningPlatform,
    kinds: dict[int, str],
    service_ids: list[str],
) -> dict[int, list[str]]:
    """What each school renews: those of `service_ids` the catalogue prices for a school of
    its kind (a 16-plus college, say, is not priced for a service priced by phase)."""
    first_of_kind = {kind: urn for urn, kind in reversed(kinds.items())}
    priced = {
        kind: [s for s in service_ids if await quote_status(client, running, urn, s) == 200]
        for kind, urn in first_of_kind.items()
    }
    return {urn: priced[kind] for urn, kind in kinds.items()}


async def renewable(
    client: httpx.AsyncClient, running: RunningPlatform, token: str, lines: int
) -> list[str]:
    """Up to `lines` services a school renews for the year: every subscription on sale, then,
    where the seed sells fewer, a year's consultancy days (a day each)."""
    response = await client.get(
        f"{running.url('orders')}/listings", headers={"Authorization": f"Bearer {token}"}
    )
    response.raise_for_status()
    listings = response.json()
    by_type = {
        kind: [item["service_id"] for item in listings if item.get("service_type") == kind]
        for kind in ("subscription", "consultancy")
    }
    return (by_type["subscription"] + by_type["consultancy"])[:lines]


async def applied(client: httpx.AsyncClient, ports: dict[str, int]) -> dict[str, float]:
    """Events each worker has applied so far, from its /metrics."""
    found = {}
    for name, port in ports.items():
        try:
            text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
        except httpx.HTTPError:
            continue
        found[name] = sum(
            float(value)
            for value in re.findall(r"^events_applied_total\{[^}]*\} (\S+)$", text, re.MULTILINE)
        )
    return found


async def buyback(
    arguments: argparse.Namespace, running: RunningPlatform, work_dir: Path
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=arguments.concurrency)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        probe = school_token(school_urns(1)[0])
        nats_url, _ = await wait_until_ready(running, client, probe)
        kinds = synthetic_register(arguments.schools, work_dir / "synthetic-register.csv")
        urns = list(kinds)
        print(f"importing {len(urns):,} synthetic schools ...", flush=True)
        import_register(running, work_dir / "synthetic-register.csv")
        service_ids = await renewable(client, running, probe, arguments.lines)
        tokens = {urn: school_token(urn) for urn in urns}
        await poll(
            running,
            time.monotonic() + arguments.timeout,
            functools.partial(known_to_the_catalogue, client, running, urns[-1], service_ids[0]),
        )
        lines = await lines_by_school(client, running, kinds, service_ids)
        connection = await nats.connect(nats_url)
        watcher = PostingWatcher()
        await watcher.start(connection)
        ports = running.metrics_ports  # each worker's, on the free ports it was started on
        before = await applied(client, ports)
        timings = Timings()

        async def renew(index: int) -> None:
            urn = urns[index]
            correlation_id = f"buyback-{uuid.uuid4()}"
            timings.sent[correlation_id] = time.perf_counter()
            response = await client.post(
                f"{running.url('orders')}/orders",
                json={
                    "urn": urn,
                    "lines": [{"service_id": s, "quantity": 1} for s in lines[urn]],
                    "payment_method": "invoice",
                    "purchase_order": f"PO-RENEW-{urn}",
                },
                headers={
                    "Authorization": f"Bearer {tokens[urn]}",
                    "X-Correlation-Id": correlation_id,
                },
            )
            if response.status_code != 201:
                timings.problems.append(f"{response.status_code} {response.text[:200]}")
                return
            timings.answered[correlation_id] = time.perf_counter()

        print(f"{len(urns):,} schools renew up to {len(service_ids)} lines each ...", flush=True)
        cpu_before = cpu_seconds_by_process(running.child_process_groups())
        try:
            await run_concurrently(len(urns), arguments.concurrency, renew)
            await watcher.wait_for(timings, timeout=arguments.timeout)
        finally:
            await connection.close()
        cpu_after = cpu_seconds_by_process(running.child_process_groups())
        after = await applied(client, ports)
        print(
            "baseline: raw JetStream publish -> fetch 256 -> one SQLite commit -> ack", flush=True
        )
        baseline = await benchmark_baseline(
            nats_url, work_dir / "baseline.db", len(urns), arguments.concurrency, arguments.timeout
        )
    first = min(timings.sent.values())
    last = max(timings.completed.values(), default=first)
    window = last - first
    return {
        "schools": len(urns),
        "lines_per_school": round(sum(map(len, lines.values())) / len(urns), 1),
        "posted": len(timings.completed),
        "failed": len(timings.problems),
        "problems": timings.problems[:5],
        "first_checkout_to_last_posting_seconds": round(window, 1),
        "orders_per_second": round(len(timings.completed) / window, 1) if window else None,
        "baseline": baseline.summary(),
        "cpu_ms_per_order": cpu_ms_per_item(cpu_before, cpu_after, len(timings.completed)),
        "worker_events_per_second": {
            name: round((after[name] - before.get(name, 0)) / window, 1) for name in after if window
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=22_000, help="synthetic schools")
    parser.add_argument(
        "--lines",
        type=int,
        default=20,
        help="lines each school renews: subscriptions, then consultancy days",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="checkouts in flight")
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds to wait for postings"
    )
    arguments = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="bench-buyback-", ignore_cleanup_errors=True) as tmp,
        running_platform(Path(tmp), keep_log=False) as running,
    ):
        print(f"starting the platform (data in {running.data_dir}) ...", flush=True)
        figures = asyncio.run(buyback(arguments, running, Path(tmp)))
    print("\nnational buy-back (synthetic schools)")
    print(f"  schools x lines          {figures['schools']:,} x {figures['lines_per_school']}")
    print(f"  posted / failed          {figures['posted']:,} / {figures['failed']}")
    print(
        f"  first checkout -> last posting  {figures['first_checkout_to_last_posting_seconds']} s"
    )
    print(f"  orders posted per second        {figures['orders_per_second']}")
    baseline = figures["baseline"]
    print(
        f"  baseline, {baseline['completed']:,} messages: first publish -> last ack"
        f"  {baseline['elapsed_seconds']} s, {baseline['per_second']} msgs/s"
    )
    if figures["orders_per_second"] and baseline["per_second"]:
        ratio = figures["orders_per_second"] / float(baseline["per_second"])
        print(f"  orders posted per second / baseline messages per second  {ratio:.4f}")
    for name, rate in figures["worker_events_per_second"].items():
        print(f"  {name + ' worker':<24} {rate:>8} events applied/s")
    print()
    print_cpu_per_item(figures["cpu_ms_per_order"], "order")
    print(f"  written to {save_results('buyback', arguments, figures)}")


if __name__ == "__main__":
    main()
