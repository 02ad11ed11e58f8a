from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import listings
from services.orders.domain.listing import Listing
from shared.money import VatRate
from shared.upserts import put


class ListingRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, listing: Listing) -> None:
        """Keep the listing, unless the one kept has a newer price version: the service's
        published and updated events come through separate consumers, and may be applied in
        either order or at the same moment."""
        await put(self._session, listings, asdict(listing), unless_newer="price_version")

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
