"""What each month of a termed line still earns, as stored: its sale, one row a line
(`term_lines`), and what its refunds and credit notes took from each month (`term_months`).

On PostgreSQL a give-back of a line takes the line's rows, its sale's and then its months', in
order of line (and month), and adds to its months in the same order, so that two give-backs of
it applied by two workers at once take from its months one after the other and wait rather than
deadlock. A sale only inserts its lines' rows (none of them there before, or left as they are),
which waits for no give-back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.book import insert_new
from services.ledger.adapters.tables import term_lines, term_months
from services.ledger.domain.entries import TermLine, TermMonth
from services.ledger.domain.recognition import still_earning
from shared.upserts import dialect_insert, dialect_of


@cache
def _adding_to_the_month(dialect: str) -> Any:
    statement = dialect_insert(dialect, term_months)
    return statement.on_conflict_do_update(
        index_elements=["order_id", "line_id", "earned_on"],
        set_={"pence": term_months.c.pence + statement.excluded.pence},
    )


async def sell(session: AsyncConnection, sold: Mapping[tuple[str, str], TermLine]) -> None:
    """Keep these termed lines (by order and line id) as sold; a line kept already (the same
    sale again) stays as it was."""
    rows = [
        {
            "order_id": order_id,
            "line_id": line_id,
            "net_pence": line.net_pence,
            "term_start": line.start,
            "term_end": line.end,
        }
        for (order_id, line_id), line in sorted(sold.items())
    ]
    await insert_new(session, term_lines, rows)


class Terms:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def earning(self, order_id: str, line_ids: set[str]) -> Mapping[str, Mapping[date, int]]:
        """What each month of these lines of the order still earns, by line id and month's day
        (a line the book keeps nothing for is left out); holds their rows until this
        transaction ends (on PostgreSQL)."""
        ids = sorted(line_ids)
        sold = await self._session.execute(
            select(
                term_lines.c.line_id,
                term_lines.c.net_pence,
                term_lines.c.term_start,
                term_lines.c.term_end,
            )
            .where(term_lines.c.order_id == order_id, term_lines.c.line_id.in_(ids))
            .order_by(term_lines.c.line_id)
            .with_for_update()
        )
        sales: dict[str, list[tuple[int, date, date]]] = {}
        for line_id, net_pence, start, end in sold:
            sales.setdefault(line_id, []).append((int(net_pence), start, end))
        months = await self._session.execute(
            select(term_months.c.line_id, term_months.c.earned_on, term_months.c.pence)
            .where(term_months.c.order_id == order_id, term_months.c.line_id.in_(ids))
            .order_by(term_months.c.line_id, term_months.c.earned_on)
            .with_for_update()
        )
        changed: dict[str, list[tuple[date, int]]] = {}
        for line_id, earned_on, pence in months:
            changed.setdefault(line_id, []).append((earned_on, int(pence)))
        return {
            line_id: still_earning(sales.get(line_id, []), changed.get(line_id, []))
            for line_id in sorted(sales.keys() | changed.keys())
        }

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
