"""What two databases of one service hold, compared: every table's rows (without what only
says when or in which order a row was written), plus whatever figures the service adds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import DateTime, MetaData, Table, select

from shared.service import Service

# Written by the relay and by failures, not by applying events: a rebuild has its own. And what
# a service remembers only to read older events by (the ledger's LA invoice numbers by id, for
# credits that named no number): a book live before it was remembered holds fewer rows, and no
# figure is read from it.
NOT_STATE = {"outbox", "dead_letters", "la_invoice_numbers"}

Figures = Callable[[Service[Any]], Awaitable[dict[str, Any]]]


def _compared_columns(table: Table) -> list[Any]:
    """Leave out wall-clock times and the row numbers the database gives (a table's
    autoincrement key): they differ in any rebuild. A key the rows bring, a URN, is compared."""
    return [
        column
        for column in table.columns
        if not isinstance(column.type, DateTime) and column is not table.autoincrement_column
    ]


async def table_rows(
    service: Service[Any], metadata: MetaData
) -> dict[str, Counter[tuple[str, ...]]]:
    found = {}
    async with service.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in NOT_STATE:
                continue
            rows = await connection.execute(select(*_compared_columns(table)))
            found[table.name] = Counter(tuple(str(value) for value in row) for row in rows)
    return found


async def differences(
    live: Service[Any], rebuilt: Service[Any], *, metadata: MetaData, figures: Figures
) -> list[str]:
    """Each difference in words; an empty list when the rebuild matches the live state."""
    found: list[str] = []
    live_rows, rebuilt_rows = await table_rows(live, metadata), await table_rows(rebuilt, metadata)
    for name, rows in live_rows.items():
        again = rebuilt_rows[name]
        if rows == again:
            continue
        found.append(f"table {name}: {sum(rows.values())} rows live, {sum(again.values())} rebuilt")
        for row in sorted((rows - again).elements())[:5]:
            found.append(f"  only live:    {row}")
        for row in sorted((again - rows).elements())[:5]:
            found.append(f"  only rebuilt: {row}")
    live_figures, rebuilt_figures = await figures(live), await figures(rebuilt)
    for name, value in live_figures.items():
        if rebuilt_figures.get(name) != value:
            found.append(f"{name}: live {value!r}, rebuilt {rebuilt_figures.get(name)!r}")
    return found


async def summary(service: Service[Any], metadata: MetaData) -> dict[str, int]:
    """How many rows each compared table holds."""
    return {
        name: sum(rows.values()) for name, rows in (await table_rows(service, metadata)).items()
    }
