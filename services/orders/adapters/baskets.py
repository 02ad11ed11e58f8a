from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.orders import line_of
from services.orders.adapters.tables import basket_lines, schools
from services.orders.domain.basket import Basket

BASKET_FIELDS = {column.name for column in basket_lines.columns} - {"urn", "position", "trust_code"}
# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
LOCK_SCHOOL = select(schools.c.urn).where(schools.c.urn == bindparam("urn")).with_for_update()
OWN_LINES = basket_lines.c.trust_code.is_(None)
TRUSTS_LINES = basket_lines.c.trust_code == bindparam("trust_code")
SCHOOL = basket_lines.c.urn == bindparam("urn")
LINES = {
    owner: select(basket_lines).where(SCHOOL, whose).order_by(basket_lines.c.position)
    for owner, whose in ((False, OWN_LINES), (True, TRUSTS_LINES))
}


class BasketRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def get(self, urn: int, *, trust_code: str | None = None, locked: bool = True) -> Basket:
        """A school's own basket, or the basket its trust's buyer fills for it (`trust_code`);
        the school's register row is locked so two edits of either queue (unless only looked
        at: `locked=False`)."""
        if locked:
            await self._session.execute(LOCK_SCHOOL, {"urn": urn})
        rows = await self._session.execute(
            LINES[trust_code is not None], {"urn": urn, "trust_code": trust_code}
        )
        lines = [
            line_of({k: v for k, v in row._mapping.items() if k in BASKET_FIELDS}) for row in rows
        ]
        return Basket(urn=urn, lines=lines, trust_code=trust_code)

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
        whose = OWN_LINES if basket.trust_code is None else TRUSTS_LINES
        await self._session.execute(
            delete(basket_lines).where(SCHOOL, whose),
            {"urn": basket.urn, "trust_code": basket.trust_code},
        )
        if basket.lines:
            await self._session.execute(
                insert(basket_lines),
                [
                    {
                        "urn": basket.urn,
                        "trust_code": basket.trust_code,
                        "position": position,
                        **{k: v for k, v in asdict(line).items() if k in BASKET_FIELDS},
                    }
                    for position, line in enumerate(basket.lines)
                ],
            )
