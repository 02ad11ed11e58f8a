"""Prometheus metrics: every metric of the platform, and the small functions that count.

The objects live in the process's default registry; each series carries the service it is about,
so that one process running several services (the tests, `schools-platform up`) stays readable.
The figures that are read rather than counted (outbox depth, dead letters, consumer lag; a SQLite
file's WAL)
are set at scrape time (`shared.messaging.figures`, `Service.read_figures`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by route template and status code",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by route template",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS_PUBLISHED = Counter(
    "events_published", "Events the outbox relay published to JetStream", ["producer", "subject"]
)
EVENTS_APPLIED = Counter(
    "events_applied",
    "Events a consumer applied (its inbox had not seen them)",
    ["service", "subject"],
)
EVENTS_REDELIVERED = Counter(
    "events_redelivered",
    "Deliveries of an event a consumer had been given before (after a failure, or to a worker "
    "that stopped before acknowledging it)",
    ["service", "subject"],
)
EVENTS_PARKED = Counter(
    "events_parked",
    "Events a consumer gave up on and set aside (dead letters) for a person to look at",
    ["service", "subject"],
)
DEAD_LETTERS = Gauge(
    "dead_letters_parked_events",
    "Events in the service's dead-letter table: parked, and waiting for a person, since whenever",
    ["service"],
)
FIGURES_UNREADABLE = Gauge(
    "messaging_figures_unreadable",
    "1 while the last scrape could not read the figures from this source (database: the outbox "
    "and dead letters; nats: the consumers' lag), which then keep their last values",
    ["service", "source"],
)
OUTBOX_WAITING = Gauge("outbox_waiting_events", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "outbox_oldest_waiting_age_seconds",
    "Age of the oldest outbox row not yet published (0 when none waits)",
    ["service"],
)
LAG_LABELS = ("service", "stream", "consumer")
CONSUMER_PENDING = Gauge(
    "jetstream_consumer_pending_messages",
    "Messages in the stream that the durable consumer has not yet been given",
    LAG_LABELS,
)
CONSUMER_ACK_PENDING = Gauge(
    "jetstream_consumer_ack_pending_messages",
    "Messages given to the durable consumer and not yet acknowledged",
    LAG_LABELS,
)
JOB_FAILED_RUNS = Gauge(
    "job_failed_runs_in_a_row",
    "Runs of a worker's timed job (card refunds, income recognition, …) that have failed in a "
    "row: 0 once one succeeds",
    ["service", "job"],
)
LEDGER_TRANSACTIONS = Counter(
    "ledger_transactions_posted", "Journal transactions posted to the book", ["strand"]
)
LEDGER_POSTINGS = Counter(
    "ledger_postings", "Journal lines (debits and credits) posted to the book", ["strand"]
)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
CONSUMER_BATCHES = Histogram(
    "consumer_batch_events",
    "Events one fetch gave a consumer: ones at a trickle, more as it falls behind (a batch's "
    "transaction costs much the same whatever it holds)",
    ["service", "subject"],
    buckets=BATCH_SIZES,
)
RELAY_BATCHES = Histogram(
    "outbox_relay_batch_events",
    "Events one turn of the outbox relay sent to JetStream together",
    ["producer"],
    buckets=BATCH_SIZES,
)
GC_FROZEN = Gauge(
    "gc_frozen_objects",
    "Objects the garbage collector no longer walks: those the process made as it started",
)
GC_PAUSES = Histogram(
    "gc_pause_seconds",
    "Time the process stood still for one garbage collection, by generation (2: a full one)",
    ["generation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5),
)
SQLITE_WAL_BYTES = Gauge(
    "sqlite_wal_bytes",
    "Size of the service's SQLite write-ahead log file (a service on PostgreSQL has none)",
    ["service"],
)


def http_answered(*, service: str, method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(service, method, route, str(status)).inc()
    HTTP_LATENCY.labels(service, method, route).observe(seconds)


def events_published(subject: str, count: int = 1) -> None:
    EVENTS_PUBLISHED.labels(_producer(subject), subject).inc(count)


def events_applied(service: str, subject: str, count: int = 1) -> None:
    EVENTS_APPLIED.labels(service, subject).inc(count)


def events_redelivered(service: str, subject: str, count: int = 1) -> None:
    EVENTS_REDELIVERED.labels(service, subject).inc(count)


def events_parked(service: str, subject: str, count: int = 1) -> None:
    EVENTS_PARKED.labels(service, subject).inc(count)


def consumer_batch(service: str, subject: str, events: int) -> None:
    CONSUMER_BATCHES.labels(service, subject).observe(events)


def relay_batch(subject: str, events: int) -> None:
    """A relay's turn that sent `events` events, the first of them on `subject`."""
    RELAY_BATCHES.labels(_producer(subject)).observe(events)


def _producer(subject: str) -> str:
    return subject.split(".", 1)[0]


def ledger_posted(*, strand: str | None, postings: int, transactions: int = 1) -> None:
    """Journal transactions (one by default) of `postings` lines in all; `strand` None for the
    core accounts'."""
    label = str(strand or "core")
    LEDGER_TRANSACTIONS.labels(label).inc(transactions)
    LEDGER_POSTINGS.labels(label).inc(postings)


@dataclass(frozen=True)
class ConsumerLag:
    pending: int
    ack_pending: int


CONSUMER_LAGS = (CONSUMER_PENDING, CONSUMER_ACK_PENDING)


def consumers_lag(service: str, lags: dict[tuple[str, str], ConsumerLag]) -> None:
    """The lag of every durable consumer the service holds now, by (stream, consumer). The
    series of one no longer there go: a consumer deleted (by a rebuild, or a subscription
    dropped) would otherwise show its last pending count until the process restarts."""
    for (stream, consumer), lag in lags.items():
        CONSUMER_PENDING.labels(service, stream, consumer).set(lag.pending)
        CONSUMER_ACK_PENDING.labels(service, stream, consumer).set(lag.ack_pending)
    for gauge in CONSUMER_LAGS:
        for family in gauge.collect():
            held = {tuple(sample.labels[name] for name in LAG_LABELS) for sample in family.samples}
            for labels in held:
                if labels[0] == service and labels[1:] not in lags:
                    gauge.remove(*labels)


def sqlite_wal(service: str, database: Path) -> None:
    """The WAL's size now: one that only grows is one its checkpoints cannot empty
    (`shared.sqlite_checkpoints`)."""
    try:
        size = database.with_name(f"{database.name}-wal").stat().st_size
    except FileNotFoundError:  # none yet, or removed as the last connection to the file closed
        size = 0
    SQLITE_WAL_BYTES.labels(service).set(size)


def gc_frozen(objects: int) -> None:
    GC_FROZEN.set(objects)


RecordPause = Callable[[int, float], None]


def gc_pause_recorder() -> RecordPause:
    """What the collector's callback records a pause with (generation, seconds). Each
    generation's series is made here, beforehand: `labels()` takes the histogram's lock, which a
    scrape holds while it copies the series, and that copy may itself set off a collection, whose
    callback would then wait for ever on the lock its own thread holds. Observing a series made
    beforehand takes only that series' locks, each held for an addition that allocates nothing."""
    series = [GC_PAUSES.labels(str(generation)) for generation in range(3)]

    def record(generation: int, seconds: float) -> None:
        series[generation].observe(seconds)

    return record


def exposition() -> tuple[bytes, str]:
    """Every metric of this process in Prometheus's text format, and its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST
