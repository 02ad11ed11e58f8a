"""INSERT … ON CONFLICT in the dialect of the session's database (PostgreSQL or SQLite), for
writes that may meet a row already there (another writer's, or an earlier batch's). The
statements used on every batch are built once per table: building one costs SQLAlchemy more
than SQLite takes to run it."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection


def dialect_of(session: AsyncConnection) -> str:
    return session.engine.dialect.name


def dialect_insert(dialect: str, table: Table) -> Any:
    """An INSERT with the dialect's ON CONFLICT clauses (PostgreSQL's, or SQLite's)."""
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def insert_for(session: AsyncConnection, table: Table) -> Any:
    """`dialect_insert` for this session's database."""
    return dialect_insert(dialect_of(session), table)


@cache
def inserting_new(table: Table, dialect: str) -> Any:
    """Inserts the rows whose primary key is not in the table yet and ignores the others."""
    keys = [column.name for column in table.primary_key.columns]
    return dialect_insert(dialect, table).on_conflict_do_nothing(index_elements=keys)


@cache
def replacing(table: Table, dialect: str, *columns: str) -> Any:
    """Inserts the rows, or sets these columns of the row already there to theirs."""
    statement = dialect_insert(dialect, table)
    keys = [column.name for column in table.primary_key.columns]
    return statement.on_conflict_do_update(
        index_elements=keys, set_={name: statement.excluded[name] for name in columns}
    )


async def put(session: AsyncConnection, table: Table, row: dict[str, Any]) -> None:
    """Set the row with this row's key to it, inserting it if there is none. Two writers
    putting the same key at once both succeed, the last to commit standing (a delete and an
    insert made the second fail on the key on PostgreSQL)."""
    keys = {column.name for column in table.primary_key.columns}
    values = tuple(name for name in row if name not in keys)
    await session.execute(replacing(table, dialect_of(session), *values), row)
