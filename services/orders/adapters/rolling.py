"""Rolling subscriptions as stored."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import rolling_subscriptions as table
from services.orders.domain.rolling import Renewal, RollingStatus, RollingSubscription
from shared.errors import NotFound


class RollingRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, subscription: RollingSubscription) -> None:
        await self._session.execute(insert(table).values(**asdict(subscription)))

    async def save(self, subscription: RollingSubscription) -> None:
        values = asdict(subscription)
        await self._session.execute(
            update(table).where(table.c.id == values.pop("id")).values(**values)
        )

    async def get(self, subscription_id: UUID, *, locked: bool = False) -> RollingSubscription:
        query = select(table).where(table.c.id == subscription_id)
        row = (await self._session.execute(query.with_for_update() if locked else query)).first()
        if row is None:
            raise NotFound(f"no rolling subscription {subscription_id}", field="subscription_id")
        return _subscription(row._mapping)

    async def of_school(self, urn: int) -> list[RollingSubscription]:
        rows = await self._session.execute(
            select(table).where(table.c.urn == urn).order_by(table.c.period_end, table.c.id)
        )
        return [_subscription(row._mapping) for row in rows]

    async def for_period_ordered_by(self, order_id: UUID) -> list[RollingSubscription]:
        """Those whose current period is the one this order bought, locked."""
        rows = await self._session.execute(
            select(table).where(table.c.last_order_id == order_id).with_for_update()
        )
        return [_subscription(row._mapping) for row in rows]

    async def to_look_at(self, today: date) -> list[RollingSubscription]:
        """Those whose period is over by `today`: to renew, or to end."""
        rows = await self._session.execute(
            select(table)
            .where(
                table.c.period_end < today,
                or_(
                    table.c.status == RollingStatus.ACTIVE.value,
                    table.c.status == RollingStatus.ENDING.value,
                ),
            )
            .order_by(table.c.period_end, table.c.id)
        )
        return [_subscription(row._mapping) for row in rows]


def _subscription(row: Any) -> RollingSubscription:
    return RollingSubscription(
        **{
            **row,
            "renews_every": Renewal(row["renews_every"]),
            "status": RollingStatus(row["status"]),
        }
    )
