"""Databases for tests: a fresh SQLite file per test, or one PostgreSQL database per service
for the whole session, emptied before each test (creating a PostgreSQL database costs seconds
here; emptying one costs milliseconds)."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def postgres_url() -> str | None:
    """TEST_POSTGRES_URL if given, else the local server if it answers, else None."""
    url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES)

    async def answers() -> bool:
        try:
            connection = await asyncpg.connect(_plain(url), timeout=2)
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return False
        await connection.close()
        return True

    return url if asyncio.run(answers()) else None


class PostgresDatabases:
    """One database per service name for the test session, dropped at its end."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._session = uuid.uuid4().hex[:8]
        self._created: set[str] = set()

    async def emptied(self, name: str) -> str:
        database = f"test_{name}_{self._session}"
        if database in self._created:
            await _empty(self._url(database))
        else:
            await self._admin(f'CREATE DATABASE "{database}"')
            self._created.add(database)
        return self._url(database)

    def drop_all(self) -> None:
        async def drop() -> None:
            for database in self._created:
                await self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

        asyncio.run(drop())

    async def _admin(self, statement: str) -> None:
        connection = await asyncpg.connect(_plain(self.admin_url))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    def _url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(False)


def local_postgres() -> PostgresDatabases:
    """Databases for a script's `--postgres` run (bench/): the local PostgreSQL, or an exit
    saying how to name another."""
    admin_url = postgres_url()
    if admin_url is None:
        raise SystemExit("--postgres: no PostgreSQL answers (set TEST_POSTGRES_URL)")
    return PostgresDatabases(admin_url)


class DatabaseFactory:
    def __init__(self, backend: str, tmp_path: Path, postgres: PostgresDatabases | None) -> None:
        self.backend = backend
        self._tmp_path = tmp_path
        self._postgres = postgres

    async def new(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite+aiosqlite:///{self._tmp_path / name}.db"
        assert self._postgres
        return await self._postgres.emptied(name)


async def _empty(url: str) -> None:
    """Delete every row but the schema version; counters go back to their first number."""
    connection = await asyncpg.connect(_plain(url))
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = {row["tablename"] for row in rows}
        emptied = sorted(tables - {"alembic_version", "sequences"})
        if emptied:
            names = ", ".join(f'"{table}"' for table in emptied)
            await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        if "sequences" in tables:
            await connection.execute("UPDATE sequences SET next_value = 1")
    finally:
        await connection.close()


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)
