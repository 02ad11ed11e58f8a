"""What each month of a termed line still earns, as stored: added up from its sale's monthly
parts and what its refunds and credit notes took from them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.tables import term_months
from services.ledger.domain.entries import TermMonth
from shared.upserts import dialect_insert, dialect_of


@cache
def _adding_to_the_month(dialect: str) -> Any:
    statement = dialect_insert(dialect, term_months)
    return statement.on_conflict_do_update(
        index_elements=["order_id", "line_id", "earned_on"],
        set_={"pence": term_months.c.pence + statement.excluded.pence},
    )


class Terms:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def earning(self, order_id: str, line_ids: set[str]) -> Mapping[str, Mapping[date, int]]:
        """What each month of these lines of the order still earns, by line id and month's day
        (a line the book keeps nothing for is left out); holds their rows until this
        transaction ends (on PostgreSQL), so that two give-backs of a line applied by two
        workers at once take from its months one after the other."""
        rows = await self._session.execute(
            select(term_months.c.line_id, term_months.c.earned_on, term_months.c.pence)
            .where(
                term_months.c.order_id == order_id,
                term_months.c.line_id.in_(sorted(line_ids)),
            )
            .order_by(term_months.c.line_id, term_months.c.earned_on)
            .with_for_update()
        )
        found: dict[str, dict[date, int]] = {}
        for line_id, earned_on, pence in rows:
            found.setdefault(line_id, {})[earned_on] = int(pence)
        return found

    async def add(self, order_id: str, months: list[TermMonth]) -> None:
        """Add these to (or take them from) what the months of the order's lines earn."""
        await self._session.execute(
            _adding_to_the_month(dialect_of(self._session)),
            [
                {
                    "order_id": order_id,
                    "line_id": month.line_id,
                    "earned_on": month.day,
                    "pence": month.pence,
                }
                for month in sorted(months, key=lambda month: (month.line_id, month.day))
            ],  # in the order `earning` takes the rows, so that two writers wait, not deadlock
        )
