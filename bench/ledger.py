"""Benchmark: the ledger's posting throughput from JetStream, and its reports at a million
postings, each beside a same-run baseline of plain inserts into the same database.

What is measured
----------------
Throughput: N money events (a third each card payments, school invoices and LA invoices, for
real Hertfordshire schools) are published to JetStream first; then the ledger's real worker
(`Service.worker()`: its durable pull consumers, inbox, posting rules, outbox and its relay
publishing `ledger.transaction.posted`) starts, and the clock runs until N transactions are in
the book (counted on a connection of the benchmark's own):

    posting throughput = N events / (last transaction in the book - worker started)

With `--workers 2` (or more) that many worker processes share the ledger's durable consumers:
the others are started first as `schools-platform worker ledger`; once they have posted
something (they are consuming), the one in the benchmark's process starts and the clock with
it, and only the events posted from then on count:

    posting throughput = (N - already posted) / (last transaction in the book - clock started)

Baseline, the machine's limit for the same work: N small messages published to a stream of
their own on the same nats-server, then one durable pull consumer fetches up to 256 at a time,
inserts one row per message into a plain table in the same database in one transaction,
commits, then acks them.

A second baseline, the machine's limit for the same writes: the rows the ledger wrote for the N
events (its inbox, transactions, postings, outbox and audit rows, read back from its book),
written again into a new database with the ledger's schema and indexes, batch by batch as
messages of a stream of their own arrive: fetch up to 256, insert those events' rows and add
their postings to the balances and open items with the ledger's own statements (its
`balances.sums_of` summing the batch), commit, ack, then publish each outbox row to JetStream
with its acks in flight and mark the batch sent. None of the ledger's reading of events,
posting rules or building of its announcements is in it.

Reports: about `--postings` postings (default 1,000,000) are bulk-loaded straight into the
book's tables (COPY on PostgreSQL, executemany on SQLite), then the balances the ledger keeps
as it posts are built from them (and, on PostgreSQL, vacuumed as autovacuum would after a
bulk load): school invoices of two lines,
their settlements, card payments, LA invoices and provider costs over two financial years and
the 567 schools of the register. Each report is then asked for `--runs` times over HTTP (the
ledger's ASGI app, in process) and its median and slowest latency printed. Baseline: the same
number of rows plainly inserted into a two-column table in the same database (load time), and
`SELECT account, sum(amount) GROUP BY account` over it (query time): the floor for a report
that reads every row.

Figures are printed, never asserted; they share two cores with whatever else runs.

Run from the repository root:

    .venv/bin/python bench/ledger.py --events 3000 --postings 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid5

import asyncpg
import httpx
import nats
from nats.js.api import StorageType, StreamConfig
from sqlalchemy import (
    BigInteger,
    Column,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy import table as table_clause
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from bench.results_file import save_results  # noqa: E402
from services import registry  # noqa: E402
from services.ledger.adapters import balances, tables  # noqa: E402
from services.orders.adapters.register_csv import read_register  # noqa: E402
from services.seed.files import SCHOOLS_CSV  # noqa: E402
from shared.auth import Role, issue_token  # noqa: E402
from shared.calendar import financial_year  # noqa: E402
from shared.settings import DEVELOPMENT_JWT_SECRET  # noqa: E402
from tests.support import ledger_events as ev  # noqa: E402
from tests.support.nats_server import NatsServer  # noqa: E402

BASELINE_STREAM = "BENCH_LEDGER_BASELINE"
SAME_ROWS_STREAM = "BENCH_LEDGER_SAME_ROWS"
BATCH = 256
BASELINE_SUBJECT = "benchledger.baseline.msg"
SAME_ROWS_SUBJECT = "benchledger.same_rows.msg"
ANNOUNCED_SUBJECT = "benchledger.same_rows.posted"
CATEGORIES = ["Governance", "HR and employment", "CPD and leadership", "School improvement"]
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"

plain = Table(
    "bench_plain",
    MetaData(),
    Column("id", String(20), nullable=False),
    Column("account", String(120), nullable=False),
    Column("amount", BigInteger, nullable=False),
)


# --- the database: a throw-away PostgreSQL database, or a SQLite file -----------------------


async def fresh_database(
    kind: str, work_dir: Path, sqlite_file: str = "ledger"
) -> tuple[str, str | None]:
    """(URL of a new empty database, PostgreSQL admin URL to drop it with, or None)."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{work_dir / sqlite_file}.db", None
    admin = DEFAULT_POSTGRES if kind == "postgresql" else kind
    name = f"bench_ledger_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(_plain(admin))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(admin).set(database=name).render_as_string(False), admin


async def drop_database(url: str, admin: str | None) -> None:
    if admin is None:
        return
    connection = await asyncpg.connect(_plain(admin))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await connection.close()


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


# --- part 1: throughput from JetStream -----------------------------------------------------


def money_events(count: int) -> Iterator[Any]:
    schools = [urn for urn in ev.SCHOOLS]
    for index in range(count):
        on = date(2026, 4, 1) + timedelta(days=index % 360)
        urn = schools[index % len(schools)]
        if index % 3 == 0:
            yield ev.order_paid(urn, on, ev.line(10_000 + index), reference=f"pi_{index}")
        elif index % 3 == 1:
            yield ev.invoice_raised(urn, on, ev.line(20_000 + index), number=f"INV-{index}")
        else:
            yield ev.la_invoice(500_000 + index, on, number=f"LA-{index}")


def more_workers(service: Any, count: int) -> list[subprocess.Popen[bytes]]:
    """`count` more ledger worker processes on the same database and durable consumers."""
    settings = service.settings
    environment = {
        **os.environ,
        "LEDGER_DATABASE_URL": settings.database_url,
        "LEDGER_NATS_URL": settings.nats_url,
        "LEDGER_ENVIRONMENT": "test",
        "LEDGER_OUTBOX_POLL_SECONDS": "0.2",
    }
    return [
        subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker", "ledger"],
            cwd=REPOSITORY,
            env={**environment, "LEDGER_METRICS_PORT": str(19_400 + index)},
            stdout=subprocess.DEVNULL,
        )
        for index in range(count)
    ]


async def throughput(
    service: Any, nats_url: str, count: int, timeout: float, *, workers: int = 1
) -> tuple[int, float, float]:
    """(events posted while every worker ran, seconds they took, CPU seconds of this process
    meanwhile: the worker in it, its relay, and the benchmark's count of the book)."""
    from shared.messaging.streams import ensure_streams

    await ensure_streams(nats_url)
    await ev.publish(nats_url, *(ev.envelope(event) for event in money_events(count)))
    # Counted on a connection of its own: SQLite's one writer connection stays the worker's.
    book = create_async_engine(service.settings.database_url)
    deadline = time.perf_counter() + timeout

    async def posted() -> int:
        async with book.connect() as connection:
            found = await connection.scalar(select(func.count()).select_from(tables.transactions))
        if time.perf_counter() > deadline:
            raise SystemExit(f"only {found} of {count} events posted in {timeout:.0f} s")
        return int(found or 0)

    others = more_workers(service, workers - 1)
    worker = service.worker()
    try:
        while others and await posted() == 0:  # the other processes take a while to start
            await asyncio.sleep(0.05)
        await worker.start()
        started, already, cpu = time.perf_counter(), await posted(), time.process_time()
        while await posted() < count:
            await asyncio.sleep(0.05)
        return count - already, time.perf_counter() - started, time.process_time() - cpu
    finally:
        await worker.stop()
        for other in others:
            other.terminate()
            other.wait(30)
        await book.dispose()


async def baseline_throughput(engine: AsyncEngine, nats_url: str, count: int) -> float:
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        await jetstream.add_stream(
            StreamConfig(name=BASELINE_STREAM, subjects=["benchledger.>"], storage=StorageType.FILE)
        )
        acks = [
            await jetstream.publish_async(BASELINE_SUBJECT, f'{{"n": {index}}}'.encode())
            for index in range(count)
        ]
        await asyncio.gather(*acks)
        subscription = await jetstream.pull_subscribe(
            BASELINE_SUBJECT, durable="bench-ledger-baseline", stream=BASELINE_STREAM
        )
        started = time.perf_counter()
        done = 0
        while done < count:
            # The machine's limit for the same work: a batch in one transaction, then its acks.
            messages = await subscription.fetch(BATCH, timeout=5)
            async with engine.begin() as db:
                await db.execute(
                    insert(plain),
                    [
                        {"id": str(done + offset), "account": "m", "amount": done + offset}
                        for offset in range(len(messages))
                    ],
                )
            for message in messages:
                await message.ack()
            done += len(messages)
        elapsed = time.perf_counter() - started
        await jetstream.delete_stream(BASELINE_STREAM)
        return elapsed
    finally:
        await connection.close()


@dataclass
class WrittenRows:
    """What the ledger wrote for its events, table by table, in the order written; a batch of
    events is given the same share of each table's rows."""

    events: int
    inbox: list[dict[str, Any]]
    transactions: list[dict[str, Any]]
    postings: dict[Any, list[dict[str, Any]]]  # by transaction id
    outbox: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    accounts: list[dict[str, Any]]

    def share(self, rows: list[dict[str, Any]], first: int, last: int) -> list[dict[str, Any]]:
        return rows[first * len(rows) // self.events : last * len(rows) // self.events]


async def written_rows(engine: AsyncEngine, events: int) -> WrittenRows:
    messaging = tables.messaging

    async def read(table: Table, *order: Any) -> list[dict[str, Any]]:
        async with engine.connect() as connection:
            found = await connection.execute(select(table).order_by(*order))
            return [dict(row._mapping) for row in found]

    postings: dict[Any, list[dict[str, Any]]] = {}
    for row in await read(tables.postings, tables.postings.c.id):
        del row["id"]
        postings.setdefault(row["transaction_id"], []).append(row)
    outbox = await read(messaging.outbox, messaging.outbox.c.position)
    for row in outbox:
        del row["position"]
        row.update(sent_at=None, attempts=0, last_error=None)
    audit = await read(messaging.audit, messaging.audit.c.id)
    for row in audit:
        del row["id"]
    return WrittenRows(
        events=events,
        inbox=await read(messaging.inbox, messaging.inbox.c.applied_at),
        transactions=await read(tables.transactions, tables.transactions.c.recorded_at),
        postings=postings,
        outbox=outbox,
        audit=audit,
        accounts=await read(tables.accounts, tables.accounts.c.code),
    )


INDEXES_PER_TABLE = {
    "sqlite": "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'index' GROUP BY tbl_name",
    "postgresql": "SELECT tablename, count(*) FROM pg_indexes "
    "WHERE schemaname = current_schema() GROUP BY tablename",
}


@dataclass(frozen=True)
class TableWrites:
    """Rows a table holds for each event of the run, and the indexes each row goes into."""

    table: str
    rows_per_event: float
    indexes: int

    @property
    def index_entries_per_event(self) -> float:
        return self.rows_per_event * self.indexes


async def writes_per_event(connection: AsyncConnection, events: int) -> list[TableWrites]:
    """What the run left in each table that holds anything, per event: the book's work, and
    the baseline's one row. A partial index is counted as if it held every row (at most)."""
    catalogue = await connection.execute(text(INDEXES_PER_TABLE[connection.dialect.name]))
    indexes: dict[str, int] = {name: int(count) for name, count in catalogue.all()}
    names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    found = []
    for name in sorted(names):
        rows = await connection.scalar(select(func.count()).select_from(table_clause(name)))
        if rows and name != "alembic_version":
            found.append(TableWrites(name, rows / events, indexes.get(name, 0)))
    return sorted(found, key=lambda each: -each.index_entries_per_event)


def print_writes(found: list[TableWrites]) -> None:
    print("  rows a table holds per event, and the indexes each row goes into (the table's")
    print("  own B-tree or heap not counted)")
    book = [each for each in found if each.table != plain.name]
    for each in found:
        print(
            f"    {each.table:<32}{each.rows_per_event:6.2f} rows x {each.indexes} indexes"
            f" = {each.index_entries_per_event:5.2f} index entries"
        )
    rows = sum(each.rows_per_event for each in book)
    entries = sum(each.index_entries_per_event for each in book)
    print(f"    the ledger, all told {rows:17.2f} rows, {entries:5.2f} index entries an event")


async def same_rows_throughput(engine: AsyncEngine, nats_url: str, rows: WrittenRows) -> float:
    """Seconds to write `rows` again as their events' messages arrive (see the docstring)."""
    messaging, dialect = tables.messaging, engine.dialect.name
    async with engine.begin() as db:
        await db.execute(insert(tables.accounts), rows.accounts)
    # Built once, as the ledger's own statements are.
    inserts = {
        table.name: insert(table)
        for table in (
            messaging.inbox,
            tables.transactions,
            tables.postings,
            messaging.outbox,
            messaging.audit,
        )
    }
    mark_sent = (
        update(messaging.outbox)
        .where(messaging.outbox.c.event_id.in_(bindparam("sent", expanding=True)))
        .values(sent_at=bindparam("at"))
    )
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        await jetstream.add_stream(
            StreamConfig(name=SAME_ROWS_STREAM, subjects=["benchledger.same_rows.>"],
                         storage=StorageType.FILE)
        )  # fmt: skip
        acks = [
            await jetstream.publish_async(SAME_ROWS_SUBJECT, f'{{"n": {index}}}'.encode())
            for index in range(rows.events)
        ]
        await asyncio.gather(*acks)
        subscription = await jetstream.pull_subscribe(
            SAME_ROWS_SUBJECT, durable="bench-ledger-same-rows", stream=SAME_ROWS_STREAM
        )
        started = time.perf_counter()
        done = 0
        while done < rows.events:
            messages = await subscription.fetch(BATCH, timeout=5)
            first, done = done, done + len(messages)
            transactions = rows.share(rows.transactions, first, done)
            lines = [line for t in transactions for line in rows.postings.get(t["id"], [])]
            outbox = rows.share(rows.outbox, first, done)
            async with engine.begin() as db:
                await db.execute(inserts["inbox"], rows.share(rows.inbox, first, done))
                await db.execute(inserts["journal_transactions"], transactions)
                await db.execute(inserts["journal_postings"], lines)
                for table, sums in balances.sums_of(lines):
                    if sums:
                        await db.execute(balances.adding(table, dialect), sums)
                await db.execute(inserts["outbox"], outbox)
                await db.execute(inserts["audit"], rows.share(rows.audit, first, done))
            for message in messages:
                await message.ack()
            announced = [
                await jetstream.publish_async(
                    ANNOUNCED_SUBJECT,
                    row["body"].encode(),
                    headers={"Nats-Msg-Id": row["event_id"]},
                )
                for row in outbox
            ]
            await asyncio.gather(*announced)
            async with engine.begin() as db:
                sent = [row["event_id"] for row in outbox]
                await db.execute(mark_sent, {"sent": sent, "at": datetime.now(UTC)})
        elapsed = time.perf_counter() - started
        await jetstream.delete_stream(SAME_ROWS_STREAM)
        return elapsed
    finally:
        await connection.close()


async def same_rows_baseline(
    rows: WrittenRows, database: str, work_dir: Path, nats_url: str
) -> float:
    """Seconds for the same-rows baseline, in a new database migrated as the ledger's is."""
    url, admin = await fresh_database(database, work_dir, sqlite_file="same-rows")
    service = registry.service("ledger", database_url=url, nats_url=nats_url, environment="test")
    try:
        await service.migrate()
        return await same_rows_throughput(service.engine, nats_url, rows)
    finally:
        await service.engine.dispose()
        await drop_database(url, admin)


# --- part 2: reports at a million postings -------------------------------------------------


def book_rows(target: int, seed: int = 7) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Transactions and postings, as the book's columns, `target` postings or just over."""
    chance = random.Random(seed)
    schools = read_register(SCHOOLS_CSV)
    contracts = [str(uuid.UUID(int=n)) for n in range(1, 6)]
    journal: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    recorded = datetime.now(UTC)
    count = 0
    while len(lines) < target:
        count += 1
        on = date(2025, 4, 1) + timedelta(days=chance.randrange(730))
        key = f"bulk-{count}"
        tid = uuid5(uuid.NAMESPACE_URL, key)
        school = chance.choice(schools)
        kind, strand, postings = _one(chance, school, contracts, count)
        journal.append(
            (tid, key, str(tid), "bench", kind, strand, kind, on, on, financial_year(on), None,
             None, recorded)
        )  # fmt: skip
        for account, amount, dims in postings:
            lines.append(
                (tid, account, amount, strand, on, on, financial_year(on), on.strftime("%Y-%m"),
                 *dims)
            )  # fmt: skip
    return journal, lines


def _one(
    chance: random.Random, school: Any, contracts: list[str], count: int
) -> tuple[str, str, list[tuple[str, int, tuple[Any, ...]]]]:
    def dims(category: str | None = None, document: str | None = None) -> tuple[Any, ...]:
        return (school.urn, school.phase, school.la_code, None, category, None, None, document)

    roll = chance.random()
    if roll < 0.55:  # a school invoice of two lines
        a, b = chance.randrange(5_000, 500_000), chance.randrange(5_000, 500_000)
        c1, c2 = chance.sample(CATEGORIES, 2)
        vat = (a + b) // 5
        number = f"INV-{count}"
        return (
            "sale",
            "traded",
            [
                ("receivables:schools", a + b + vat, dims(document=number)),
                (f"traded:income:{_slug(c1)}", -a, dims(c1, number)),
                (f"traded:income:{_slug(c2)}", -b, dims(c2, number)),
                ("vat:output", -vat, dims(document=number)),
            ],
        )
    if roll < 0.85:  # a settlement of an earlier invoice
        pence = chance.randrange(5_000, 600_000)
        number = f"INV-{chance.randrange(1, count)}"
        return (
            "settlement",
            "traded",
            [
                ("bank", pence, dims(document=number)),
                ("receivables:schools", -pence, dims(document=number)),
            ],
        )
    if roll < 0.95:  # a card payment
        net = chance.randrange(5_000, 200_000)
        ref = f"pi_{count}"
        return (
            "sale",
            "traded",
            [
                ("clearing:stripe", net + net // 5, dims(document=ref)),
                ("traded:income:cpd-and-leadership", -net, dims("CPD and leadership", ref)),
                ("vat:output", -(net // 5), dims(document=ref)),
            ],
        )
    contract = chance.choice(contracts)
    net = chance.randrange(100_000, 5_000_000)
    at = (None, None, None, None, None, contract, "council_budget", f"LA-{count}")
    return (
        "la_invoice",
        "statutory",
        [
            ("receivables:la", net + net // 5, at),
            (f"statutory:income:hcc-{contract[-1]}", -net, at),
            ("vat:output", -(net // 5), at),
        ],
    )


def _slug(text_: str) -> str:
    return "-".join(text_.lower().replace(",", "").split())


POSTING_COLUMNS = [
    "transaction_id", "account", "amount_pence", "strand", "posted_on", "dated", "financial_year",
    "month", "urn", "phase", "la_code", "service_id", "category", "contract_id",
    "funding_source", "document",
]  # fmt: skip
TRANSACTION_COLUMNS = [c.name for c in tables.transactions.c]


async def bulk_load(engine: AsyncEngine, table: str, columns: list[str], rows: list[Any]) -> None:
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            raw = await _driver_connection(connection)
            await raw.copy_records_to_table(table, records=rows, columns=columns)
            await connection.commit()
        return
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    async with engine.connect() as connection:
        # The platform's SQLite driver calls sqlite3 on the loop: its raw connection is plain.
        raw = await _driver_connection(connection)
        for start in range(0, len(rows), 50_000):
            raw.executemany(statement, [_sqlite(row) for row in rows[start : start + 50_000]])
        raw.commit()


async def _driver_connection(connection: AsyncConnection) -> Any:
    """The driver's own connection (asyncpg's, or sqlite3's), for its bulk loading."""
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None, "the connection was closed"
    return raw


def _sqlite(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        value.hex if isinstance(value, uuid.UUID) else value.isoformat()
        if isinstance(value, date | datetime) else value
        for value in row
    )  # fmt: skip


async def load_book(service: Any, target: int) -> tuple[int, float]:
    journal, lines = book_rows(target)
    accounts = sorted({line[1] for line in lines})
    async with service.engine.begin() as db:
        await db.execute(
            insert(tables.accounts),
            [
                {"code": code, "name": code, "kind": _kind(code), "strand": _strand(code)}
                for code in accounts
            ],
        )
        await db.execute(
            insert(tables.schools),
            [
                {"urn": s.urn, "name": s.name, "phase": s.phase, "la_code": s.la_code,
                 "la_name": s.la_name}
                for s in read_register(SCHOOLS_CSV)
            ],
        )  # fmt: skip
    started = time.perf_counter()
    await bulk_load(service.engine, "journal_transactions", TRANSACTION_COLUMNS, journal)
    await bulk_load(service.engine, "journal_postings", POSTING_COLUMNS, lines)
    async with service.engine.begin() as connection:  # what the ledger keeps as it posts
        await connection.run_sync(balances.rebuild)
    elapsed = time.perf_counter() - started
    await analyse(service.engine)
    return len(lines), elapsed


def _kind(code: str) -> str:
    if ":income:" in code:
        return "income"
    if code.startswith(("vat:output", "payables", "deferred")):
        return "liability"
    return "asset"


def _strand(code: str) -> str | None:
    prefix = code.split(":")[0]
    return prefix if prefix in ("traded", "statutory") else None


async def analyse(engine: AsyncEngine) -> None:
    """Statistics for the planner; on PostgreSQL also the visibility map that lets a report
    read a covering index alone, as autovacuum leaves it after a bulk load."""
    vacuum = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text(vacuum))


async def load_plain(engine: AsyncEngine, count: int) -> float:
    rows = [(str(n), f"account-{n % 40}", n % 10_000 - 5_000) for n in range(count)]
    started = time.perf_counter()
    await bulk_load(engine, "bench_plain", ["id", "account", "amount"], rows)
    elapsed = time.perf_counter() - started
    await analyse(engine)
    return elapsed


async def timed(runs: int, call: Any) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        timings.append(time.perf_counter() - started)
    return timings


REPORTS = [
    ("trial balance", "/reports/trial-balance", {}),
    ("traded income by school", "/reports/traded-income",
     {"by": "school", "start": "2026-04-01", "end": "2027-03-31"}),
    ("traded income by month", "/reports/traded-income",
     {"by": "month", "start": "2026-04-01", "end": "2027-03-31"}),
    ("statutory by contract", "/reports/statutory-by-contract", {"financial_year": "2026-27"}),
    ("aged debt", "/reports/aged-debt", {"as_of": "2027-03-31"}),
    ("sustainability", "/reports/sustainability",
     {"financial_year": "2026-27", "as_of": "2027-03-31"}),
    ("statement, a page of 200", "/reports/accounts/receivables:schools/statement",
     {"start": "2026-11-01", "end": "2026-11-30", "limit": "200", "offset": "1000"}),
    ("trial balance as XLSX", "/reports/trial-balance", {"format": "xlsx"}),
]  # fmt: skip


async def report_latencies(service: Any, runs: int) -> dict[str, list[float]]:
    token = issue_token(secret=DEVELOPMENT_JWT_SECRET, subject="bench", role=Role.FINANCE)
    headers = {"Authorization": f"Bearer {token}"}
    found = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service.api()), base_url="http://ledger", timeout=600
    ) as client:
        for label, path, params in REPORTS:

            async def ask(path: str = path, params: dict[str, str] = params) -> None:
                response = await client.get(path, params=params, headers=headers)
                response.raise_for_status()

            found[label] = await timed(runs, ask)
    return found


async def plain_query(engine: AsyncEngine, runs: int) -> list[float]:
    async def ask() -> None:
        async with engine.connect() as connection:
            await connection.execute(
                select(plain.c.account, func.sum(plain.c.amount)).group_by(plain.c.account)
            )

    return await timed(runs, ask)


# --- entry point ---------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


async def benchmark(arguments: argparse.Namespace, work_dir: Path) -> None:
    nats_server = None if arguments.nats_url else NatsServer().start()
    nats_url = arguments.nats_url or nats_server.url  # type: ignore[union-attr]
    url, admin = await fresh_database(arguments.database, work_dir)
    print(f"database {make_url(url).get_backend_name()}; NATS {nats_url}", flush=True)
    service = registry.service(
        "ledger", database_url=url, nats_url=nats_url, environment="test", outbox_poll_seconds=0.2
    )
    try:
        await service.migrate()
        async with service.engine.begin() as db:
            await db.run_sync(plain.metadata.create_all)
        events = arguments.events
        print(f"posting {events} events from JetStream ...", flush=True)
        timed_events, posting, cpu = await throughput(
            service, nats_url, events, arguments.timeout, workers=arguments.workers
        )
        print("baseline: JetStream -> plain insert + commit + ack ...", flush=True)
        base = await baseline_throughput(service.engine, nats_url, events)
        print("baseline: JetStream -> the ledger's rows + commit + ack + publish ...", flush=True)
        same_rows = await same_rows_baseline(
            await written_rows(service.engine, events), arguments.database, work_dir, nats_url
        )
        async with service.engine.connect() as db:
            written = await writes_per_event(db, events)
        async with service.engine.begin() as db:
            await db.execute(plain.delete())
            for table in (
                tables.balances,
                tables.balances_across_schools,
                tables.balances_across_schools_by_day,
                tables.open_items,
                tables.postings,
                tables.transactions,
                tables.accounts,
            ):
                await db.execute(table.delete())

        if arguments.postings:
            print(f"bulk-loading about {arguments.postings:,} postings ...", flush=True)
            loaded, load_seconds = await load_book(service, arguments.postings)
            plain_seconds = await load_plain(service.engine, loaded)
            latencies = await report_latencies(service, arguments.runs)
            floor = await plain_query(service.engine, arguments.runs)
    finally:
        await service.engine.dispose()
        await drop_database(url, admin)
        if nats_server:
            nats_server.remove()

    print("\nposting throughput (JetStream -> ledger)")
    ledger_rate, base_rate = timed_events / posting, events / base
    print(
        f"  ledger    {ledger_rate:10,.0f} events/s  ({timed_events} events in {posting:.1f} s, "
        f"{arguments.workers} worker process{'es' if arguments.workers > 1 else ''})"
    )
    same_rate = events / same_rows
    print(f"  baseline  {base_rate:10,.0f} msgs/s    (fetch 256, insert, one commit, ack)")
    print(f"  same rows {same_rate:10,.0f} events/s  (the rows the ledger wrote, no event logic)")
    print(f"  CPU per event in the benchmark's worker process {cpu / timed_events * 1e6:,.0f} µs")
    print(f"  ledger/baseline {ledger_rate / base_rate:10.2f}")
    print(f"  ledger/same rows {ledger_rate / same_rate:9.2f}")
    print(f"  same rows/baseline {same_rate / base_rate:7.2f}")
    print_writes(written)
    figures = {
        **ledger_figures(ledger=ledger_rate, baseline=base_rate, same_rows=same_rate),
        "written_per_event": {
            each.table: {"rows": round(each.rows_per_event, 3), "indexes": each.indexes}
            for each in written
        },
    }
    saved = save_results(f"ledger-{arguments.database.split(':')[0]}", arguments, figures)
    print(f"  saved to {saved}")
    if not arguments.postings:
        return
    print(f"\nreports at {loaded:,} postings ({arguments.runs} runs each: median, slowest)")
    print(f"  bulk load and balances      {load_seconds:8.1f} s")
    print(f"  baseline plain load         {plain_seconds:8.1f} s  (same row count, 3 columns)")
    for label, values in latencies.items():
        print(f"  {label:<28}{ms(statistics.median(values)):>10}{ms(max(values)):>12}")
    print(
        f"  {'baseline: sum by account':<28}{ms(statistics.median(floor)):>10}"
        f"{ms(max(floor)):>12}  (plain table, one GROUP BY)"
    )


def ledger_figures(*, ledger: float, baseline: float, same_rows: float) -> dict[str, Any]:
    return {
        "ledger_events_per_second": round(ledger),
        "baseline_messages_per_second": round(baseline),
        "ledger_over_baseline": round(ledger / baseline, 3),
        "same_rows_events_per_second": round(same_rows),
        "ledger_over_same_rows": round(ledger / same_rows, 3),
    }


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000, help="events for the throughput")
    parser.add_argument(
        "--postings", type=int, default=1_000_000, help="postings to bulk-load (0: no reports)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="ledger worker processes sharing the consumers"
    )
    parser.add_argument("--runs", type=int, default=5, help="times each report is asked for")
    parser.add_argument(
        "--database",
        default="postgresql",
        help="postgresql (a throw-away database on 127.0.0.1:5432), sqlite, or an admin URL",
    )
    parser.add_argument("--nats-url", default=None, help="default: a nats-server of its own")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to post everything")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("faststream").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        asyncio.run(benchmark(arguments, Path(tmp)))


if __name__ == "__main__":
    main()
