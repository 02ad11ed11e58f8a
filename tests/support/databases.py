"""Fresh databases per test: a SQLite file, or a new PostgreSQL database when one answers."""

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


class DatabaseFactory:
    def __init__(self, backend: str, tmp_path: Path, admin_url: str | None) -> None:
        self.backend = backend
        self._tmp_path = tmp_path
        self._admin_url = admin_url
        self._created: list[str] = []

    async def new(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite+aiosqlite:///{self._tmp_path / name}.db"
        assert self._admin_url
        database = f"t_{name}_{uuid.uuid4().hex[:10]}"
        connection = await asyncpg.connect(_plain(self._admin_url))
        try:
            await connection.execute(f'CREATE DATABASE "{database}"')
        finally:
            await connection.close()
        self._created.append(database)
        return make_url(self._admin_url).set(database=database).render_as_string(False)

    async def drop_all(self) -> None:
        if not self._created:
            return
        assert self._admin_url
        connection = await asyncpg.connect(_plain(self._admin_url))
        try:
            for database in self._created:
                await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        finally:
            await connection.close()


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)
