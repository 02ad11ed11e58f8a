from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import listings
from services.orders.domain.listing import Listing
from shared.money import VatRate
from shared.upserts import put

# Of two listings of a service, the later: the catalogue's revision of it decides (a title's
# change leaves the price version as it was), then the price version (events from before
# revisions were counted all read as revision 0).
LATER_FIRST = ("revision", "price_version")

# The services still listed, with what a listing holds.
EVERY_LISTING = select(
    *(listings.c[name] for name in Listing.__dataclass_fields__), listings.c.retired_on
)
LISTED = select(*(listings.c[name] for name in Listing.__dataclass_fields__)).where(
    listings.c.retired_on.is_(None)
)


class ListingRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, listing: Listing) -> None:
        """Keep the listing, unless the one kept is of a later revision of the service (or,
        of the same, a newer price version) or the service is retired: the service's
        published, updated and retired events come through separate consumers, and may be
        applied in any order or at the same moment."""
        await put(
            self._session,
            listings,
            listing_row(listing),
            unless_newer=LATER_FIRST,
            unless_closed="retired_on",
        )

    async def retire(self, service_id: UUID, *, code: str, retired_on: date) -> None:
        """Delist the service for good (the catalogue never publishes a retired one again)."""
        row = {"service_id": service_id, "code": code, "retired_on": retired_on}
        await put(self._session, listings, row, unless_closed="retired_on")

    async def by_id(self, service_ids: list[UUID]) -> dict[UUID, Listing]:
        rows = await self._session.execute(LISTED.where(listings.c.service_id.in_(service_ids)))
        found = [_listing(row._mapping) for row in rows]
        return {listing.service_id: listing for listing in found}

    async def sold_and_retired(
        self, service_ids: Collection[UUID]
    ) -> tuple[dict[UUID, Listing], set[UUID]]:
        """The listings of these services still sold, and which of them the catalogue has
        retired: one look for both, as checkout asks it of every order."""
        rows = await self._session.execute(
            EVERY_LISTING.where(listings.c.service_id.in_(service_ids))
        )
        sold: dict[UUID, Listing] = {}
        retired: set[UUID] = set()
        for row in rows:
            values = dict(row._mapping)
            if values.pop("retired_on") is None:
                sold[values["service_id"]] = _listing(values)
            else:
                retired.add(values["service_id"])
        return sold, retired

    async def all(self) -> list[Listing]:
        rows = await self._session.execute(LISTED.order_by(listings.c.code))
        return [_listing(row._mapping) for row in rows]


def listing_row(listing: Listing) -> dict[str, object]:
    """The listing as its table keeps it (its years as one text, empty for any year)."""
    return {**asdict(listing), "academic_years": ",".join(listing.academic_years)}


def _listing(row: object) -> Listing:
    values = dict(row)  # type: ignore[call-overload]
    years = tuple(year for year in values["academic_years"].split(",") if year)
    return Listing(**{**values, "vat_rate": VatRate(values["vat_rate"]), "academic_years": years})
