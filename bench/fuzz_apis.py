"""The long schemathesis run: many generated requests per operation of every service.

    .venv/bin/python bench/fuzz_apis.py --examples 200 --seed 1      # from the repository root
    .venv/bin/python bench/fuzz_apis.py --postgres                   # on PostgreSQL (local)

The test suite (tests/integration/test_api_fuzzing.py) runs the same checks with a few examples
per operation; this runs as many as asked, valid and invalid, and prints every failure found
(a server error or an answer that breaks its documented schema), with a curl line to replay it,
and every event the requests made that NATS refused. The services publish to a NATS server of
this run's own, never to one a running platform uses. Exits 1 if any failure was found.

On SQLite by default; `--postgres` gives each service a throw-away database on the local
PostgreSQL (TEST_POSTGRES_URL, as the tests take it), dropped at the end: PostgreSQL refuses
what SQLite keeps (a text longer than its column, a number an INTEGER cannot hold). There
asyncpg logs "Event loop is closed" as it drops a pooled connection an earlier request's loop
opened: noise, not a failure (failures are printed as such, and counted).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi import FastAPI
from schemathesis.python.asgi import shutdown_lifespans

from services import registry
from tests.support.api_fuzzing import (
    fuzz,
    operations,
    platform_apps,
    refused_events,
    sqlite_files,
)
from tests.support.databases import PostgresDatabases, local_postgres
from tests.support.nats_server import NatsServer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="per operation and mode")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--service", choices=registry.NAMES, action="append")
    parser.add_argument("--postgres", action="store_true", help="on the local PostgreSQL")
    arguments = parser.parse_args()
    postgres = local_postgres() if arguments.postgres else None
    nats = NatsServer().start()
    try:
        with tempfile.TemporaryDirectory() as directory:
            try:
                urls = (
                    asyncio.run(_databases(postgres)) if postgres else sqlite_files(Path(directory))
                )
                failures = fuzz_services(
                    platform_apps(urls, nats_url=nats.url),
                    arguments.service or registry.NAMES,
                    examples=arguments.examples,
                    seed=arguments.seed,
                    nats_url=nats.url,
                )
            finally:
                # The apps' relays, started by the first request, let go of NATS and of their
                # files while the files are still there.
                shutdown_lifespans()
    finally:
        nats.remove()
        if postgres:
            postgres.drop_all()
    print(f"{failures} failures")
    return 1 if failures else 0


async def _databases(postgres: PostgresDatabases) -> dict[str, str]:
    return {name: await postgres.emptied(name) for name in registry.NAMES}


def fuzz_services(
    apps: dict[str, FastAPI], names: Iterable[str], *, examples: int, seed: int, nats_url: str
) -> int:
    """Fuzzes each service named in turn; prints what it finds and returns how many."""
    failures = 0
    for name in names:
        started, requests = time.monotonic(), 0
        for operation in operations(apps[name]):
            found = fuzz(operation, examples=examples, seed=seed)
            failures += len(found)
            for failure in found:
                print(failure, flush=True)
            requests += 2 * examples
        refused = asyncio.run(refused_events(apps[name], nats_url))
        failures += len(refused)
        for event in refused:
            print(f"{name}: event refused by NATS: {event}", flush=True)
        took = time.monotonic() - started
        print(f"{name}: up to {requests} requests in {took:.0f} s (seed {seed})")
    return failures


if __name__ == "__main__":
    sys.exit(main())
