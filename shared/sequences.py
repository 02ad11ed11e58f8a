"""Gap-free document numbers (invoices, credit notes): one counter row per kind of document.

Taking a number updates the counter row inside the caller's transaction, which locks it until
commit: concurrent takers queue, and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

import functools

from sqlalchemy import Column, Integer, MetaData, String, Table, Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncConnection


def add_sequence_table(metadata: MetaData) -> Table:
    return Table(
        "sequences",
        metadata,
        Column("name", String(40), primary_key=True),
        Column("next_value", Integer, nullable=False),
    )


async def take_number(session: AsyncConnection, sequences: Table, name: str) -> int:
    issued = await session.scalar(_taking(sequences), {"sequence": name})
    if issued is None:
        raise LookupError(f"no sequence {name!r}: its migration must insert the counter row")
    return int(issued)


@functools.cache
def _taking(sequences: Table) -> Update:
    """Built once per table, not per number taken: SQLAlchemy then reuses its compiled SQL."""
    return (
        update(sequences)
        .where(sequences.c.name == bindparam("sequence"))
        .values(next_value=sequences.c.next_value + 1)
        .returning(sequences.c.next_value - 1)
    )
