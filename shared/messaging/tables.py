"""The outbox, inbox, dead-letter and audit tables, added to each service's own metadata (and its
migrations): the unit of work writes them in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Insert,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    bindparam,
    insert,
    select,
)

from shared.upserts import dialect_insert

DEAD_LETTER_NAME_LENGTH = 200  # a parked event's id, subject and consumer


@dataclass(frozen=True)
class MessagingTables:
    """The tables, and the statements every unit of work runs on them, built once: building a
    statement and its cache key takes SQLAlchemy longer than SQLite takes to run it."""

    outbox: Table
    inbox: Table
    dead_letters: Table
    audit: Table

    @cached_property
    def applied(self) -> Select[str]:
        """Which of the event ids `ids` the inbox holds."""
        event_id = self.inbox.c.event_id
        return select(event_id).where(event_id.in_(bindparam("ids", expanding=True)))

    @cached_property
    def mark_applied(self) -> Insert:
        return insert(self.inbox)

    def mark_first_applied(self, dialect: str) -> Insert:
        """Inserts the inbox rows of the events it does not hold yet, returning their ids; a row
        already there (applied before, or by another worker meanwhile) is left alone."""
        return _marking_first_applied(self.inbox, dialect)

    @cached_property
    def record(self) -> Insert:
        return insert(self.outbox)

    @cached_property
    def record_audit(self) -> Insert:
        return insert(self.audit)


@cache
def _marking_first_applied(inbox: Table, dialect: str) -> Insert:
    statement = dialect_insert(dialect, inbox)
    marking: Insert = statement.on_conflict_do_nothing(index_elements=["event_id"]).returning(
        inbox.c.event_id
    )
    return marking


def add_messaging_tables(metadata: MetaData) -> MessagingTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("subject", String(200), nullable=False),
        Column("body", Text, nullable=False),
        Column("traceparent", String(64)),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True)),
        # How often NATS refused this row (too large, no stream): a refused row is reported and
        # no longer holds back the rows behind it.
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
    )
    Index(
        "ix_outbox_unsent",
        outbox.c.position,
        sqlite_where=outbox.c.sent_at.is_(None),
        postgresql_where=outbox.c.sent_at.is_(None),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("subject", String(200), nullable=False),
        Column("applied_at", DateTime(timezone=True), nullable=False),
    )
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("event_id", String(DEAD_LETTER_NAME_LENGTH), nullable=False),
        Column("subject", String(DEAD_LETTER_NAME_LENGTH), nullable=False),
        Column("consumer", String(DEAD_LETTER_NAME_LENGTH), nullable=False),
        Column("deliveries", Integer, nullable=False),
        Column("error", Text, nullable=False),
        Column("body", Text, nullable=False),
        Column("parked_at", DateTime(timezone=True), nullable=False),
    )
    return MessagingTables(
        outbox=outbox, inbox=inbox, dead_letters=dead_letters, audit=_audit_table(metadata)
    )


AUDIT_TEXT_LENGTHS = {
    "actor": 200,
    "role": 40,
    "action": 100,
    "object_type": 60,
    "object_id": 100,
    "summary": 500,
    "correlation_id": 100,
    "event_id": 36,
    "cause_event_id": 36,
}
"""The audit's text columns and their lengths; the unit of work keeps what fits."""
_REQUIRED = {"actor", "role", "action", "object_type", "object_id", "summary"}


def _audit_table(metadata: MetaData) -> Table:
    """Who changed what, when, from which request (see shared.audit)."""
    audit = Table(
        "audit",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        *(
            Column(name, String(length), nullable=name not in _REQUIRED)
            for name, length in AUDIT_TEXT_LENGTHS.items()
        ),
    )
    Index("ix_audit_at", audit.c.at)
    Index("ix_audit_actor", audit.c.actor)
    Index("ix_audit_object", audit.c.object_type, audit.c.object_id)
    return audit
