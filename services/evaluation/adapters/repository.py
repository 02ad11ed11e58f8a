from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.evaluation.adapters.tables import participations
from services.evaluation.domain.participation import Participation


class ParticipationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_all(self, found: list[Participation]) -> None:
        if found:
            await self._session.execute(insert(participations), [asdict(p) for p in found])

    async def list(
        self, *, service_id: UUID | None = None, urn: int | None = None
    ) -> list[Participation]:
        query = select(participations).order_by(participations.c.since, participations.c.urn)
        if service_id is not None:
            query = query.where(participations.c.service_id == service_id)
        if urn is not None:
            query = query.where(participations.c.urn == urn)
        rows = await self._session.execute(query)
        return [
            Participation(**{k: v for k, v in row._mapping.items() if k != "id"}) for row in rows
        ]
