"""The schools register as the ledger learns it from `orders.school.registered.v1`."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.adapters.tables import schools, service_names
from shared.events import SchoolRegisteredV1


class Register:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, school: SchoolRegisteredV1) -> None:
        # A re-registration replaces the row: the newest extract is the truth.
        await self._session.execute(delete(schools).where(schools.c.urn == school.urn))
        await self._session.execute(
            insert(schools).values(
                urn=school.urn,
                name=school.name,
                phase=school.phase,
                la_code=school.la_code,
                la_name=school.la_name,
            )
        )

    async def name_services(self, titles: dict[str, str]) -> None:
        """Remember each service's title; the newest sale's title wins. Two consumers may name
        the same service at once: an upsert, so that neither transaction fails on the other."""
        if not titles:
            return
        dialect = self._session.get_bind().dialect.name
        statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(service_names)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["service_id"], set_={"title": statement.excluded.title}
            ),
            [{"service_id": key, "title": title} for key, title in titles.items()],
        )

    async def service_titles(self) -> dict[str, str]:
        rows = await self._session.execute(select(service_names))
        return {service_id: title for service_id, title in rows}

    async def schools_by_phase(self) -> Counter[str]:
        rows = await self._session.execute(select(schools.c.phase))
        return Counter(phase for (phase,) in rows)

    async def names(self) -> dict[int, tuple[str, str, str]]:
        """URN → (name, phase, LA name)."""
        rows = await self._session.execute(
            select(schools.c.urn, schools.c.name, schools.c.phase, schools.c.la_name)
        )
        return {urn: (name, phase, la) for urn, name, phase, la in rows}
