"""Trusts' orders placed before an order kept its trust's name come through the migration with
the name the register gives that trust, where a school is still in it; a school's own order,
and a trust's with no school left in it, keep none."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, insert, select

from services.orders.adapters.tables import orders, schools
from tests.support.databases import DatabaseFactory
from tests.support.orders_migrations import migrated, old_order
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED


def placed_by_trusts(connection: Connection) -> list[UUID]:
    in_trust = {**ABBOTS_LANGLEY_AS_REGISTERED, "trust_code": "4209"}
    connection.execute(insert(schools).values(**in_trust, trust_name="Herts Learning Trust"))
    return [old_order(connection, trust_code=trust) for trust in ("4209", None, "GONE-1")]


def trust_names(connection: Connection, placed: list[UUID]) -> list[str | None]:
    names = {row.id: row.trust_name for row in connection.execute(select(orders))}
    return [names[order_id] for order_id in placed]


async def test_a_trust_s_order_takes_the_name_the_register_gives_its_trust(
    databases: DatabaseFactory,
) -> None:
    named = await migrated(
        databases, before="4c9e2f7a1b38", keep=placed_by_trusts, then=trust_names
    )

    assert named == ["Herts Learning Trust", None, None]
