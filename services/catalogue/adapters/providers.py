from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.catalogue.adapters.tables import providers, unwords, words
from services.catalogue.domain.provider import NameTaken, Provider, ProviderKind, QaStatus
from shared.errors import NotFound
from shared.unique import taken_as

# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
BY_IDS = select(providers).where(providers.c.id.in_(bindparam("ids", expanding=True)))


class ProviderRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, provider: Provider) -> None:
        async with taken_as(lambda: NameTaken(provider.name)):  # the key is the check
            await self._session.execute(insert(providers).values(**_row(provider)))

    async def save(self, provider: Provider) -> None:
        values = _row(provider)
        await self._session.execute(
            update(providers).where(providers.c.id == values.pop("id")).values(**values)
        )

    async def get(
        self, provider_id: UUID, *, field: str = "provider_id", locked: bool = False
    ) -> Provider:
        provider = await self.find(provider_id, locked=locked)
        if provider is None:
            raise NotFound(f"no provider {provider_id}", field=field)
        return provider

    async def find(self, provider_id: UUID | None, *, locked: bool = False) -> Provider | None:
        """`locked` holds the row until commit: a rating and a QA flag arriving together must
        not overwrite each other."""
        if provider_id is None:
            return None
        query = select(providers).where(providers.c.id == provider_id)
        row = (await self._session.execute(query.with_for_update() if locked else query)).first()
        return _provider(row) if row else None

    async def by_ids(self, provider_ids: set[UUID]) -> dict[UUID, Provider]:
        rows = await self._session.execute(BY_IDS, {"ids": list(provider_ids)})
        return {row.id: _provider(row) for row in rows}

    async def all(self) -> list[Provider]:
        rows = await self._session.execute(select(providers).order_by(providers.c.name))
        return [_provider(row) for row in rows]


def _row(provider: Provider) -> dict[str, Any]:
    return {
        **provider.__dict__,
        "kind": provider.kind.value,
        "qa_status": provider.qa_status.value,
        "expertise": words(provider.expertise),
    }


def _provider(row: Any) -> Provider:
    values = dict(row._mapping)
    return Provider(
        **{
            **values,
            "kind": ProviderKind(values["kind"]),
            "qa_status": QaStatus(values["qa_status"]),
            "expertise": unwords(values["expertise"]),
        }
    )
