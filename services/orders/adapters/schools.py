from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import schools
from services.orders.domain.school import School
from shared.errors import NotFound

# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
BY_URN = select(schools).where(schools.c.urn == bindparam("urn"))
KNOWN_URNS = select(schools.c.urn).where(schools.c.urn.in_(bindparam("urns", expanding=True)))
UPDATE_BY_URN = update(schools).where(schools.c.urn == bindparam("known_urn"))


class SchoolRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def get(self, urn: int) -> School:
        row = (await self._session.execute(BY_URN, {"urn": urn})).first()
        if row is None:
            raise NotFound(f"no school with URN {urn} on the register", field="urn")
        return School(**row._mapping)

    async def replace(self, register: list[School]) -> None:
        """Load these entries of a register: a school already on it is updated in place (its
        orders and baskets refer to it, so it is never deleted and added again), a new one is
        added."""
        urns = [school.urn for school in register]
        known: set[int] = set()
        for start in range(0, len(urns), 500):
            chunk = urns[start : start + 500]
            known.update(await self._session.scalars(KNOWN_URNS, {"urns": chunk}))
        updated = [_keyed_by_urn(school) for school in register if school.urn in known]
        added = [asdict(school) for school in register if school.urn not in known]
        if updated:
            await self._session.execute(UPDATE_BY_URN, updated)
        if added:
            await self._session.execute(insert(schools), added)

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(schools)) or 0)

    async def of_trust(self, trust_code: str) -> list[School]:
        rows = await self._session.execute(
            select(schools).where(schools.c.trust_code == trust_code).order_by(schools.c.name)
        )
        return [School(**row._mapping) for row in rows]

    async def all(self, *, for_update: bool = False) -> dict[int, School]:
        query = select(schools)
        if for_update:  # FOR NO KEY UPDATE: orders placed meanwhile still refer to the rows
            query = query.with_for_update(key_share=True)
        rows = await self._session.execute(query)
        return {row.urn: School(**row._mapping) for row in rows}


def _keyed_by_urn(school: School) -> dict[str, object]:
    """The columns an update sets, with the URN as the key it finds the row by instead."""
    row: dict[str, object] = asdict(school)
    row["known_urn"] = row.pop("urn")
    return row
