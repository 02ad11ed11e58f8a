from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.orders import line_of
from services.orders.adapters.tables import basket_lines, schools
from services.orders.domain.basket import Basket

BASKET_FIELDS = {column.name for column in basket_lines.columns} - {"urn", "position"}
# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
LOCK_SCHOOL = select(schools.c.urn).where(schools.c.urn == bindparam("urn")).with_for_update()
LINES = (
    select(basket_lines)
    .where(basket_lines.c.urn == bindparam("urn"))
    .order_by(basket_lines.c.position)
)


class BasketRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def get(self, urn: int, *, locked: bool = True) -> Basket:
        """A school's basket; the school's register row is locked so two edits queue (unless
        only looked at: `locked=False`)."""
        if locked:
            await self._session.execute(LOCK_SCHOOL, {"urn": urn})
        rows = await self._session.execute(LINES, {"urn": urn})
        lines = [
            line_of({k: v for k, v in row._mapping.items() if k in BASKET_FIELDS}) for row in rows
        ]
        return Basket(urn=urn, lines=lines)

    async def lock_holding(self, session_id: UUID) -> None:
        """Lock the schools whose baskets hold a line on this course session, as a checkout
        does: one under way is waited for (its order then found), one to come waits."""
        holding = select(basket_lines.c.urn).where(basket_lines.c.session_id == session_id)
        await self._session.execute(
            select(schools.c.urn)
            .where(schools.c.urn.in_(holding))
            .order_by(schools.c.urn)
            .with_for_update()
        )

    async def save(self, basket: Basket) -> None:
        await self._session.execute(delete(basket_lines).where(basket_lines.c.urn == basket.urn))
        if basket.lines:
            await self._session.execute(
                insert(basket_lines),
                [
                    {
                        "urn": basket.urn,
                        "position": position,
                        **{k: v for k, v in asdict(line).items() if k in BASKET_FIELDS},
                    }
                    for position, line in enumerate(basket.lines)
                ],
            )
