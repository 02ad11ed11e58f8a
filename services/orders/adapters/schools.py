from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import schools
from services.orders.domain.school import School
from shared.errors import NotFound

# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
BY_URN = select(schools).where(schools.c.urn == bindparam("urn"))


class SchoolRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def get(self, urn: int) -> School:
        row = (await self._session.execute(BY_URN, {"urn": urn})).first()
        if row is None:
            raise NotFound(f"no school with URN {urn} on the register", field="urn")
        return School(**row._mapping)

    async def replace(self, register: list[School]) -> None:
        """Load a register, replacing the rows of the same URNs (a re-import updates them)."""
        urns = [school.urn for school in register]
        for start in range(0, len(urns), 500):
            chunk = urns[start : start + 500]
            await self._session.execute(delete(schools).where(schools.c.urn.in_(chunk)))
        if register:
            await self._session.execute(insert(schools), [asdict(school) for school in register])

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(schools)) or 0)

    async def of_trust(self, trust_code: str) -> list[School]:
        rows = await self._session.execute(
            select(schools).where(schools.c.trust_code == trust_code).order_by(schools.c.name)
        )
        return [School(**row._mapping) for row in rows]

    async def all(self) -> dict[int, School]:
        rows = await self._session.execute(select(schools))
        return {row.urn: School(**row._mapping) for row in rows}
