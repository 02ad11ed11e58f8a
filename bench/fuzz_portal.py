"""The long run of the portal's forms fuzzed: many generated posts per form, for every demo user.

    .venv/bin/python bench/fuzz_portal.py --examples 100 --seed 1      # from the repository root
    .venv/bin/python bench/fuzz_portal.py --user finance --pages 200
    .venv/bin/python bench/fuzz_portal.py --postgres                   # on PostgreSQL (local)

The test suite (tests/integration/test_portal_fuzzing.py) runs the same walk with a few examples
per form, for one user of each role; this runs as many as asked, for every demo user (or those
named), and prints every failure found (a server error, or an exception the portal let escape)
with the request that met it, and every event the posts made that did not reach its consumers
(refused by NATS, or parked by a consumer that could not apply it). The platform runs in this process, with a NATS server and a
localstripe of this run's own, never those a running platform uses. Exits 1 if any failure was
found.

On SQLite by default; `--postgres` gives each service a throw-away database on the local
PostgreSQL (TEST_POSTGRES_URL, as the tests take it), dropped at the end: PostgreSQL refuses
what SQLite keeps (a NUL byte in a text, a number an INTEGER cannot hold).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.portal.users import DEMO_USERS
from tests.support.databases import DatabaseFactory, local_postgres
from tests.support.event_delivery import QUICK_TO_PARK
from tests.support.nats_server import NatsServer
from tests.support.orders_shop import LocalStripe
from tests.support.portal_fuzzing import Tried, fuzz_user
from tests.support.portal_pages import seeded_platform


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="per form and per address")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--pages", type=int, default=120, help="visited per user, at most")
    parser.add_argument("--user", choices=[user.id for user in DEMO_USERS], action="append")
    parser.add_argument("--postgres", action="store_true", help="on the local PostgreSQL")
    arguments = parser.parse_args()
    postgres = local_postgres() if arguments.postgres else None
    nats, stripe = NatsServer().start(), LocalStripe().start()
    try:
        with tempfile.TemporaryDirectory() as directory:
            backend = "postgresql" if postgres else "sqlite"
            failures = asyncio.run(
                _fuzz(
                    DatabaseFactory(backend, Path(directory), postgres),
                    nats_url=nats.url,
                    localstripe=stripe,
                    users=arguments.user or [user.id for user in DEMO_USERS],
                    examples=arguments.examples,
                    seed=arguments.seed,
                    pages=arguments.pages,
                )
            )
    finally:
        stripe.stop()
        nats.remove()
        if postgres:
            postgres.drop_all()
    print(f"{failures} failures")
    return 1 if failures else 0


async def _fuzz(
    databases: DatabaseFactory,
    *,
    nats_url: str,
    localstripe: LocalStripe,
    users: list[str],
    examples: int,
    seed: int,
    pages: int,
) -> int:
    """Fuzzes each user's forms in turn on one seeded platform (a form several users reach, by
    the first); prints what it finds and returns how many."""
    failures, tried = 0, Tried()
    async with seeded_platform(
        databases, nats_url, localstripe_url=localstripe.url, settings=QUICK_TO_PARK
    ) as platform:
        for user in users:
            started = time.monotonic()
            found, reached = await fuzz_user(
                platform,
                user,
                localstripe=localstripe,
                examples=examples,
                seed=seed,
                pages=pages,
                tried=tried,
            )
            failures += len(found)
            for failure in found:
                print(failure, flush=True)
            took = time.monotonic() - started
            print(f"{user}: {reached} in {took:.0f} s (seed {seed})", flush=True)
    return failures


if __name__ == "__main__":
    sys.exit(main())
