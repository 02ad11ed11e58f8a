"""INSERT … ON CONFLICT in the dialect of the session's database (PostgreSQL or SQLite), for
writes that may meet a row already there (another writer's, or an earlier batch's). The
statements used on every batch are built once per table: building one costs SQLAlchemy more
than SQLite takes to run it."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, and_, tuple_
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
def ignoring_clashes(table: Table, dialect: str) -> Any:
    """Inserts the rows that clash with none already there on any unique key, ignoring the
    others."""
    return dialect_insert(dialect, table).on_conflict_do_nothing()


@cache
def replacing(
    table: Table,
    dialect: str,
    *columns: str,
    unless_newer: str | tuple[str, ...] | None = None,
    unless_closed: str | None = None,
) -> Any:
    """Inserts the rows, or sets these columns of the row already there to theirs; with
    `unless_newer` (a version's column, or columns compared in turn, the first deciding unless
    equal), not where the row there has a greater version; with
    `unless_closed` (a column set once for good, such as a retirement's day), not where the row
    there has it set."""
    statement = dialect_insert(dialect, table)
    keys = [column.name for column in table.primary_key.columns]
    kept = []
    if unless_newer is not None:
        names = (unless_newer,) if isinstance(unless_newer, str) else unless_newer
        kept.append(
            tuple_(*(table.c[name] for name in names))
            <= tuple_(*(statement.excluded[name] for name in names))
        )
    if unless_closed is not None:
        kept.append(table.c[unless_closed].is_(None))
    return statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: statement.excluded[name] for name in columns},
        where=and_(*kept) if kept else None,
    )


async def put(
    session: AsyncConnection,
    table: Table,
    *rows: dict[str, Any],
    unless_newer: str | tuple[str, ...] | None = None,
    unless_closed: str | None = None,
) -> None:
    """Set the row with each row's key to it, inserting it if there is none; with
    `unless_newer`, leave a row whose version in that column is greater as it is; with
    `unless_closed`, a row whose column of that name is set. Two writers putting the same key
    at once both succeed: the last to commit stands (with `unless_newer`, the newer version,
    whichever commits first; with `unless_closed`, the one closing the row). A delete, or a
    look for the row, and then an insert made the second fail on the key on PostgreSQL."""
    if not rows:
        return
    keys = {column.name for column in table.primary_key.columns}
    values = tuple(name for name in rows[0] if name not in keys)
    statement = replacing(
        table,
        dialect_of(session),
        *values,
        unless_newer=unless_newer,
        unless_closed=unless_closed,
    )
    await session.execute(statement, list(rows) if len(rows) > 1 else rows[0])
