"""Programmes with their links and comparison group."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import (
    comparison_schools,
    programme_links,
    programmes,
)
from services.evaluation.domain.programme import Link, LinkKind, Programme


class Programmes:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, programme: Programme) -> None:
        await self._session.execute(
            insert(programmes).values(
                id=programme.id,
                title=programme.title,
                description=programme.description,
                starts_on=programme.starts_on,
                ends_on=programme.ends_on,
                randomised=programme.randomised,
                comparison_matched=programme.comparison_matched,
                created_on=programme.created_on,
            )
        )
        await self._session.execute(
            insert(programme_links),
            [
                {"programme_id": programme.id, "kind": link.kind.value, "target_id": link.target_id}
                for link in programme.links
            ],
        )

    async def save_comparison(self, programme: Programme) -> None:
        await self._session.execute(
            update(programmes)
            .where(programmes.c.id == programme.id)
            .values(comparison_matched=programme.comparison_matched)
        )
        await self._session.execute(
            delete(comparison_schools).where(comparison_schools.c.programme_id == programme.id)
        )
        if programme.comparison_urns:
            await self._session.execute(
                insert(comparison_schools),
                [{"programme_id": programme.id, "urn": urn} for urn in programme.comparison_urns],
            )

    async def get(self, programme_id: UUID, *, for_update: bool = False) -> Programme | None:
        query = select(programmes).where(programmes.c.id == programme_id)
        if for_update:  # serialises changes to one programme (SQLite: BEGIN IMMEDIATE does it)
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        links = await self._session.execute(
            select(programme_links).where(programme_links.c.programme_id == programme_id)
        )
        comparison = await self._session.execute(
            select(comparison_schools.c.urn)
            .where(comparison_schools.c.programme_id == programme_id)
            .order_by(comparison_schools.c.urn)
        )
        values = dict(row._mapping)
        return Programme(
            **values,
            links=tuple(Link(LinkKind(link.kind), link.target_id) for link in links),
            comparison_urns=tuple(comparison.scalars()),
        )

    async def all(self) -> list[Programme]:
        ids = await self._session.execute(select(programmes.c.id).order_by(programmes.c.title))
        found = [await self.get(programme_id) for programme_id in ids.scalars()]
        return [programme for programme in found if programme is not None]
