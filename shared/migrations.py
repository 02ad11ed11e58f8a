"""Alembic, driven from code: each service keeps its revisions in its own `migrations/` folder."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import create_engine


def alembic_config(migrations_dir: Path, url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine, migrations_dir: Path) -> None:
    """Bring the database up to the newest revision."""
    config = alembic_config(migrations_dir)
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade_on, config)


def _upgrade_on(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def run_env(metadata: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_on(connection, metadata)
        return
    asyncio.run(_run_on_url(context.config.get_main_option("sqlalchemy.url") or "", metadata))


async def _run_on_url(url: str, metadata: MetaData) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run_on, metadata)
    await engine.dispose()


def _run_on(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


_UNSENT = {
    "sqlite_where": sa.text("sent_at IS NULL"),
    "postgresql_where": sa.text("sent_at IS NULL"),
}


def create_messaging_tables() -> None:
    """The inbox and outbox every service's first revision creates (see shared.messaging.tables)."""
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("position", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("traceparent", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("position"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_unsent", ["position"], unique=False, **_UNSENT)


def add_delivery_alarms() -> None:
    """Outbox rows count NATS's refusals; events no handler could apply are parked, not lost."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def drop_delivery_alarms() -> None:
    op.drop_table("dead_letters")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")


def drop_messaging_tables() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unsent", **_UNSENT)
    op.drop_table("outbox")
    op.drop_table("inbox")


def create_audit_trail() -> None:
    """Who changed what, when, from which request (see shared.audit and shared.messaging.tables)."""
    op.create_table(
        "audit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("object_id", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("correlation_id", sa.String(length=100), nullable=True),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("cause_event_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_actor", "audit", ["actor"])
    op.create_index("ix_audit_object", "audit", ["object_type", "object_id"])


def drop_audit_trail() -> None:
    op.drop_table("audit")


def add_register_versions(table: str) -> None:
    """The version of each school's register entry (`SchoolRegisteredV1.version`) on a table
    that keeps schools; a row from before is at 0, older than any entry that carries one."""
    op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="0"))


def widen_register_versions(table: str) -> None:
    """The register's versions are counted from the clock (microseconds since 1970), past a
    32-bit integer: PostgreSQL's column becomes BIGINT (SQLite's integers are 64 bits already).
    Going back leaves it wide: the versions it holds do not fit 32 bits, and the older code
    reads them from a BIGINT all the same."""
    widen_to_64_bits({table: ("version",)})


def drop_register_versions(table: str) -> None:
    # Plain ALTER TABLE: SQLite's copy-and-move would drop a table others refer to.
    op.execute(f"ALTER TABLE {table} DROP COLUMN version")


def widen_to_64_bits(columns: Mapping[str, Sequence[str]]) -> None:
    """Integer columns (by table) that hold amounts of up to MAX_PENCE, which a 32-bit integer
    cannot: PostgreSQL's become BIGINT (SQLite's integers are 64 bits already)."""
    _retype(columns, existing=sa.Integer(), wanted=sa.BigInteger())


def narrow_to_32_bits(columns: Mapping[str, Sequence[str]]) -> None:
    _retype(columns, existing=sa.BigInteger(), wanted=sa.Integer())


def resize_text(columns: Mapping[str, Sequence[str]], *, existing: int, wanted: int) -> None:
    """Text columns (by table) PostgreSQL holds to `existing` characters made to hold `wanted`;
    narrowed back, a longer text is cut to fit. SQLite's hold text of any length already."""
    cut = (lambda name: f"left({name}, {wanted})") if wanted < existing else None
    _retype(columns, existing=sa.String(existing), wanted=sa.String(wanted), using=cut)


def _retype(
    columns: Mapping[str, Sequence[str]],
    *,
    existing: sa.types.TypeEngine[Any],
    wanted: sa.types.TypeEngine[Any],
    using: Callable[[str], str] | None = None,
) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, names in columns.items():
        for name in names:
            op.alter_column(
                table,
                name,
                type_=wanted,
                existing_type=existing,
                postgresql_using=using(name) if using else None,
            )
