"""A unique key taken at the same moment by another request is told apart from any other broken
constraint, on SQLite and on PostgreSQL alike, with the column it names; an API answers it 409."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from sqlalchemy.exc import IntegrityError

from shared import db, unique
from shared.http import install_error_handlers
from tests.support.databases import DatabaseFactory

metadata = MetaData()
codes = Table(
    "codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
)


async def broken(databases: DatabaseFactory, row: dict[str, object]) -> IntegrityError:
    engine = db.create_engine(await databases.new("unique_clashes"))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
            await connection.execute(insert(codes), {"code": "GOV-1"})
        async with engine.begin() as connection:
            with pytest.raises(IntegrityError) as raised:
                await connection.execute(insert(codes), row)
        return raised.value
    finally:
        await engine.dispose()


async def test_a_taken_key_is_a_clash_naming_its_column(databases: DatabaseFactory) -> None:
    error = await broken(databases, {"code": "GOV-1"})

    assert unique.clashed(error)
    assert unique.clashing_column(error) == "code"


async def test_a_missing_value_is_no_clash(databases: DatabaseFactory) -> None:
    error = await broken(databases, {"code": None})

    assert not unique.clashed(error)


async def test_an_api_answers_a_clash_no_handler_named_409_and_any_other_fault_500(
    sqlite_databases: DatabaseFactory,
) -> None:
    engine = db.create_engine(await sqlite_databases.new("unique_clashes_api"))
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/codes")
    async def add(code: str | None = None) -> dict[str, str]:
        async with engine.begin() as connection:
            await connection.execute(insert(codes), {"code": code})
        return {"code": str(code)}

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://codes") as client:
        first = await client.post("/codes", params={"code": "GOV-1"})
        again = await client.post("/codes", params={"code": "GOV-1"})
        missing = await client.post("/codes")
    await engine.dispose()

    assert first.status_code == 200
    assert again.status_code == 409
    assert again.json() == {"detail": "that code is already in use", "field": "code"}
    assert missing.status_code == 500
