"""The schools register as the orders service publishes it, and the LA's categorisations."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.commissioning.adapters.tables import categorisations, schools
from services.commissioning.domain.categorisation import Categorisation, Category
from services.commissioning.domain.school import School
from shared.errors import Invalid
from shared.upserts import put


class SchoolRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, school: School) -> None:
        """Add a school, or update what we knew of it by a newer entry of the register (its
        categorisations and cases stay)."""
        await put(self._session, schools, asdict(school), unless_newer="version")

    async def get(self, urn: int, *, for_update: bool = False) -> School:
        """A school on the register; an unknown URN is the caller's mistake."""
        query = select(schools).where(schools.c.urn == urn)
        if for_update:  # serialises one school's categorisations
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            raise Invalid(f"no school with URN {urn} on the register", field="urn")
        return School(**row._mapping)

    async def all(self) -> list[School]:
        rows = await self._session.execute(select(schools).order_by(schools.c.name))
        return [School(**row._mapping) for row in rows]


class CategorisationRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, categorisation: Categorisation) -> None:
        position = await self._session.scalar(
            select(func.count()).where(categorisations.c.urn == categorisation.urn)
        )
        await self._session.execute(
            insert(categorisations).values(position=position, **asdict(categorisation))
        )

    async def history(self, urn: int) -> list[Categorisation]:
        rows = await self._session.execute(
            select(categorisations)
            .where(categorisations.c.urn == urn)
            .order_by(categorisations.c.position)
        )
        return [_categorisation(row._mapping) for row in rows]

    async def every(self) -> list[Categorisation]:
        """Every school's categorisations, by URN, each school's in the order recorded."""
        rows = await self._session.execute(
            select(categorisations).order_by(categorisations.c.urn, categorisations.c.position)
        )
        return [_categorisation(row._mapping) for row in rows]


def _categorisation(row: Any) -> Categorisation:
    previous = row["previous_category"]
    return Categorisation(
        id=row["id"],
        urn=row["urn"],
        category=Category(row["category"]),
        categorised_on=row["categorised_on"],
        reasons=row["reasons"],
        recorded_by=row["recorded_by"],
        previous_category=Category(previous) if previous is not None else None,
    )
