"""Chaos benchmark: the long run of tests/chaos, with options.

The platform runs as real processes (each API and worker its own, localstripe, NATS: one server
or, with --cluster, three nodes with three replicas of every stream); databases are SQLite files
or, with --postgres, throw-away PostgreSQL databases on 127.0.0.1:5432. Schools place
--orders actions at --rate a second (invoice orders, card orders paid through localstripe and its
webhook, cancellations with their refunds and credit notes, LA milestone sign-offs), retrying
with the same Idempotency-Key, while a schedule drawn from --seed kills (SIGKILL) and restarts
every worker, every API and NATS (with --cluster: the orders stream's leader) --kills times.
Then it waits for quiescence, checks and prints every invariant with its count and the restart
times seen, and rebuilds the ledger from the streams into an empty database, printing what
differs (nothing, if the book is its events).

    .venv/bin/python bench/chaos.py --orders 2000 --rate 10 --postgres --cluster --seed 7

Exit status 1 if an invariant fails; the seed is printed to replay the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from services import registry  # noqa: E402
from tests.support.chaos.fleet import Fleet  # noqa: E402
from tests.support.chaos.nats import NatsCluster, SingleNats  # noqa: E402
from tests.support.chaos.run import Options, chaos, running_fleet  # noqa: E402
from tests.support.databases import PostgresDatabases, postgres_url  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000, help="actions placed (most orders)")
    parser.add_argument("--rate", type=float, default=5.0, help="actions a second, at most")
    parser.add_argument(
        "--in-flight", type=int, default=32, help="actions unanswered at once, at most"
    )
    parser.add_argument("--seed", type=int, default=None, help="replays a run (default: drawn)")
    parser.add_argument("--kills", type=int, default=None, help="default: one every 10 s")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--cluster", action="store_true", help="three NATS nodes, 3 replicas")
    parser.add_argument(
        "--quiet-timeout", type=float, default=600.0, help="seconds to wait for quiescence"
    )
    parser.add_argument("--no-rebuild", action="store_true", help="skip the ledger's rebuild")
    parser.add_argument("--keep-logs", action="store_true", help="keep each process's log")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else uuid.uuid4().int % 2**31
    kills = args.kills if args.kills is not None else max(11, int(args.orders / args.rate / 10))
    options = Options(
        seed=seed,
        actions=args.orders,
        per_second=args.rate,
        in_flight=args.in_flight,
        kills=kills,
        quiet_timeout=args.quiet_timeout,
    )
    print(
        f"chaos: seed {seed}, {args.orders} actions at {args.rate}/s, {kills} kills, "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}, "
        f"{'three-node cluster' if args.cluster else 'one NATS server'}; {load_average()}",
        flush=True,
    )
    postgres = PostgresDatabases(postgres_url() or "") if args.postgres else None
    nats = NatsCluster().start_all() if args.cluster else SingleNats().start_all()
    began = time.monotonic()
    try:
        urls = asyncio.run(database_urls(postgres))
        replicas = 3 if args.cluster else 1
        with running_fleet(nats, urls, stream_replicas=replicas, keep_logs=args.keep_logs) as fleet:
            print(f"platform up in {time.monotonic() - began:.0f} s", flush=True)
            outcome = asyncio.run(chaos(fleet, options))
            print("\n".join(outcome.lines()), flush=True)
            rebuilt = 0 if args.no_rebuild else rebuild_ledger(fleet, postgres)
    finally:
        if postgres:
            postgres.drop_all()
    print(f"whole run {time.monotonic() - began:.0f} s; {load_average()}")
    sys.exit(0 if outcome.holds and rebuilt == 0 else 1)


def load_average() -> str:
    """The machine's load, to read each figure by (the run shares the machine)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} on {os.cpu_count()} cores"


async def database_urls(postgres: PostgresDatabases | None) -> dict[str, str]:
    if postgres is None:
        return {}  # the fleet's SQLite files, filled in below
    return {name: await postgres.emptied(f"chaos_{name}") for name in registry.NAMES}


def rebuild_ledger(fleet: Fleet, postgres: PostgresDatabases | None) -> int:
    """`schools-platform rebuild ledger` against the live ledger; its exit status."""
    into = (
        asyncio.run(postgres.emptied("chaos_ledger_rebuilt"))
        if postgres
        else f"sqlite+aiosqlite:///{fleet.root / 'ledger-rebuilt.db'}"
    )
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "rebuild", "ledger", "--into", into],
        env=fleet.environment(),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"ledger rebuilt from the streams in {time.monotonic() - began:.1f} s:")
    print(done.stdout or done.stderr[-3000:], flush=True)
    return done.returncode


if __name__ == "__main__":
    main()
