"""INSERT … ON CONFLICT in the dialect of the session's database (PostgreSQL or SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Table) -> Any:
    """An INSERT with `on_conflict_do_nothing` / `on_conflict_do_update` for this database."""
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)
