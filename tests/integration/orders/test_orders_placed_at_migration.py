"""Orders placed before an order kept the moment it was placed come through the migration
placed at the start of their day in England: before any order placed later that day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import Connection, insert, select

from services.orders.adapters.tables import orders, schools
from shared.clock import in_utc
from tests.support.databases import DatabaseFactory
from tests.support.orders_migrations import migrated, old_order
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED


def placed_before(connection: Connection) -> list[UUID]:
    connection.execute(insert(schools).values(**ABBOTS_LANGLEY_AS_REGISTERED))
    return [old_order(connection, placed_on=day) for day in (date(2026, 10, 1), date(2027, 1, 4))]


def placed_at(connection: Connection, placed: list[UUID]) -> list[datetime]:
    moments = {row.id: row.placed_at for row in connection.execute(select(orders))}
    return [in_utc(moments[order_id]) for order_id in placed]


async def test_an_order_placed_before_is_placed_at_the_start_of_its_day_in_england(
    databases: DatabaseFactory,
) -> None:
    moments = await migrated(databases, before="7a4d2c9e1f60", keep=placed_before, then=placed_at)

    assert moments == [
        datetime(2026, 9, 30, 23, 0, tzinfo=UTC),  # midnight in England, on summer time
        datetime(2027, 1, 4, 0, 0, tzinfo=UTC),  # ... and on Greenwich time
    ]
