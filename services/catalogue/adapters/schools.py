from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.catalogue.adapters.tables import schools
from services.catalogue.domain.school import School
from shared.errors import NotFound
from shared.upserts import put

# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
BY_URN = select(schools).where(schools.c.urn == bindparam("urn"))


class SchoolRepository:
    """The catalogue's read model of the register: enough of each school to price it."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, *found: School) -> None:
        """Add schools, or replace what was known of them by a newer entry of the register."""
        await put(self._session, schools, *map(asdict, found), unless_newer="version")

    async def get(self, urn: int) -> School:
        row = (await self._session.execute(BY_URN, {"urn": urn})).first()
        if row is None:
            raise NotFound(f"no school with URN {urn} on the register", field="urn")
        return School(**row._mapping)

    async def names(self, urns: set[int]) -> dict[int, str]:
        """The name of each of these schools the register has."""
        found = await self._session.execute(
            select(schools.c.urn, schools.c.name).where(schools.c.urn.in_(urns))
        )
        return {row.urn: row.name for row in found}

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(schools)) or 0)
