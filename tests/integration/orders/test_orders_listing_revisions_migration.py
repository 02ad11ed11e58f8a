"""A listing orders kept before it counted the catalogue's revisions reads as revision 0, as an
event from before them does: the next change announced of the service (revision 1 or more)
replaces it, even at the same price version, and a message from before still in flight does
not replace it with an older price."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Connection, insert, select

from services.orders.adapters.listings import LATER_FIRST, listing_row
from services.orders.adapters.tables import listings
from services.orders.domain.listing import Listing
from shared.money import VatRate
from shared.upserts import replacing
from tests.support.databases import DatabaseFactory
from tests.support.orders_migrations import migrated

KEPT = Listing(
    service_id=uuid4(),
    code="GOV-CLERK",
    title="Governor clerking",
    service_type="subscription",
    category="Governance",
    unit_price_pence=180_000,
    vat_rate=VatRate.STANDARD,
    price_version=2,
)


def kept_before(connection: Connection) -> UUID:
    connection.execute(
        insert(listings).values(
            {
                name: value
                for name, value in asdict(KEPT).items()
                if name not in ("revision", "academic_years")  # columns added since
            }
        )
    )
    return KEPT.service_id


def put(connection: Connection, listing: Listing) -> None:
    """As `ListingRepository.put` writes a listing."""
    row = listing_row(listing)
    statement = replacing(
        listings,
        connection.dialect.name,
        *(name for name in row if name != "service_id"),
        unless_newer=LATER_FIRST,
        unless_closed="retired_on",
    )
    connection.execute(statement, row)


def titles_after_changes(connection: Connection, service_id: UUID) -> list[Any]:
    def listed() -> tuple[str, int]:
        row = connection.execute(
            select(listings.c.title, listings.c.revision).where(listings.c.service_id == service_id)
        ).one()
        return row.title, row.revision

    seen = [listed()]
    put(connection, replace(KEPT, title="Governor clerking (termly)", price_version=1))
    seen.append(listed())  # a message from before, still in flight, at an older price
    put(connection, replace(KEPT, title="Governor clerking service", revision=1))
    seen.append(listed())
    return seen


async def test_a_listing_kept_before_revisions_is_replaced_by_the_next_change_announced(
    databases: DatabaseFactory,
) -> None:
    seen = await migrated(
        databases, before="8768eea28966", keep=kept_before, then=titles_after_changes
    )

    assert seen == [
        ("Governor clerking", 0),
        ("Governor clerking", 0),
        ("Governor clerking service", 1),
    ]
