"""The course sessions the catalogue called off, as orders heard of them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import called_off_sessions
from shared.upserts import dialect_of, inserting_new


class CalledOffSessions:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, session_id: UUID, called_off_on: date) -> None:
        """Once, however often the news comes."""
        await self._session.execute(
            inserting_new(called_off_sessions, dialect_of(self._session)),
            {"session_id": session_id, "called_off_on": called_off_on},
        )

    async def among(self, session_ids: Collection[UUID]) -> set[UUID]:
        """Those of these sessions that were called off."""
        if not session_ids:
            return set()
        rows = await self._session.execute(
            select(called_off_sessions.c.session_id).where(
                called_off_sessions.c.session_id.in_(session_ids)
            )
        )
        return set(rows.scalars())
