from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import listings
from services.orders.domain.listing import Listing
from shared.money import VatRate


class ListingRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, listing: Listing) -> None:
        await self.remove(listing.service_id)
        await self._session.execute(insert(listings).values(**asdict(listing)))

    async def remove(self, service_id: UUID) -> None:
        await self._session.execute(delete(listings).where(listings.c.service_id == service_id))

    async def by_id(self, service_ids: list[UUID]) -> dict[UUID, Listing]:
        rows = await self._session.execute(
            select(listings).where(listings.c.service_id.in_(service_ids))
        )
        found = [_listing(row._mapping) for row in rows]
        return {listing.service_id: listing for listing in found}

    async def all(self) -> list[Listing]:
        rows = await self._session.execute(select(listings).order_by(listings.c.code))
        return [_listing(row._mapping) for row in rows]


def _listing(row: object) -> Listing:
    values = dict(row)  # type: ignore[call-overload]
    return Listing(**{**values, "vat_rate": VatRate(values["vat_rate"])})
