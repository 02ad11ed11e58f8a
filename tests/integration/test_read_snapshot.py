"""A view's reads see one moment of the database, on PostgreSQL as on SQLite: a commit made
between two of its reads shows in neither."""

from __future__ import annotations

from sqlalchemy import text

from shared import db
from tests.support.databases import DatabaseFactory


async def test_a_view_s_reads_all_see_the_same_moment(databases: DatabaseFactory) -> None:
    url = await databases.new("read_snapshot")
    engine, worker = db.create_engine(url), db.create_engine(url)  # the API's, the worker's
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE IF NOT EXISTS accounts (code TEXT)"))
        await connection.execute(
            text("CREATE TABLE IF NOT EXISTS balances (code TEXT, pence INTEGER)")
        )
    sessions = db.session_factory(engine)
    async with db.read_session(sessions) as view:
        before = await view.scalar(text("SELECT count(*) FROM balances"))
        with db.reading_only(False):  # the worker posts between the view's two reads
            async with worker.begin() as posting:
                await posting.execute(text("INSERT INTO accounts VALUES ('receivables')"))
                await posting.execute(text("INSERT INTO balances VALUES ('receivables', 2000)"))
        accounts = await view.scalar(text("SELECT count(*) FROM accounts"))
    assert (before, accounts) == (0, 0)
    async with db.read_session(sessions) as later:
        assert await later.scalar(text("SELECT count(*) FROM accounts")) == 1
    await engine.dispose()
    await worker.dispose()
