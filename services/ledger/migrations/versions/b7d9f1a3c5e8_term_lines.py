"""term lines: a termed line's sale is kept as one row (its net over its term), not one a month,
and `term_months` keeps only what give-backs took from each month. What a month still earns is
the same: the sale's part of it (`recognition.monthly`) plus what `term_months` holds.

The rows kept already are moved over where they can be: a line whose months hold exactly the
spread of their sum (a sale, or a sale given back in parts over its whole term, whose months
telescope to the spread of what is left) becomes one row of that sum over those months; a
month that holds nothing is left out (it earns what a month the book knows nothing of earns).
The other lines' months (a cancellation's, a give-back applied before its sale) stay as they
are: they already add up what their sale (if any) and give-backs left there. A downgrade puts
each line's months back.

Revision ID: b7d9f1a3c5e8
Revises: a3b5c7d9e1f4
Create Date: 2026-12-07 12:00:00

"""

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from services.ledger.domain.recognition import monthly
from shared.upserts import dialect_insert

revision: str = "b7d9f1a3c5e8"
down_revision: str | Sequence[str] | None = "a3b5c7d9e1f4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAGE = 10_000  # rows read at a time

months = sa.table(
    "term_months",
    sa.column("order_id", sa.String),
    sa.column("line_id", sa.String),
    sa.column("earned_on", sa.Date),
    sa.column("pence", sa.BigInteger),
)
lines = sa.table(
    "term_lines",
    sa.column("order_id", sa.String),
    sa.column("line_id", sa.String),
    sa.column("net_pence", sa.BigInteger),
    sa.column("term_start", sa.Date),
    sa.column("term_end", sa.Date),
)
_THE_LINE = (months.c.order_id == sa.bindparam("order")) & (
    months.c.line_id == sa.bindparam("line")
)


def upgrade() -> None:
    op.create_table(
        "term_lines",
        sa.Column("order_id", sa.String(36), primary_key=True),
        sa.Column("line_id", sa.String(36), primary_key=True),
        sa.Column("net_pence", sa.BigInteger(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
    )
    connection = op.get_bind()
    connection.execute(months.delete().where(months.c.pence == 0))
    sold: list[dict[str, Any]] = []
    for (order_id, line_id), held in _lines_held(connection):
        net_pence = sum(pence for _, pence in held)
        start, end = held[0][0].replace(day=1), held[-1][0]
        if net_pence > 0 and [part for part in monthly(net_pence, start, end) if part[1]] == held:
            sold.append(
                {
                    "order_id": order_id,
                    "line_id": line_id,
                    "net_pence": net_pence,
                    "term_start": start,
                    "term_end": end,
                }
            )
        if len(sold) >= PAGE:
            _as_sold(connection, sold)
            sold = []
    _as_sold(connection, sold)


def _lines_held(connection: sa.Connection) -> Iterator[tuple[tuple[str, str], list[Any]]]:
    """Each line's months that hold something, (day, pence) in order of day; read a page at a
    time, in order of order, line and day, so that a line moved over drops behind the reading."""
    columns = (months.c.order_id, months.c.line_id, months.c.earned_on)
    key = sa.tuple_(*columns)
    after: tuple[str, str, date] | None = None
    line: tuple[str, str] | None = None
    held: list[tuple[date, int]] = []
    while True:
        page = sa.select(months).order_by(*columns).limit(PAGE)
        if after is not None:
            page = page.where(key > sa.tuple_(*after))
        rows = connection.execute(page).all()
        for order_id, line_id, earned_on, pence in rows:
            if (order_id, line_id) != line:
                if line is not None:
                    yield line, held
                line, held = (order_id, line_id), []
            held.append((earned_on, int(pence)))
        if len(rows) < PAGE:
            break
        after = tuple(rows[-1])[:3]  # type: ignore[assignment]
    if line is not None:
        yield line, held


def _as_sold(connection: sa.Connection, sold: list[dict[str, Any]]) -> None:
    """These lines as sold, one row each, in place of their months."""
    if not sold:
        return
    connection.execute(lines.insert(), sold)
    connection.execute(
        months.delete().where(_THE_LINE),
        [{"order": row["order_id"], "line": row["line_id"]} for row in sold],
    )


def downgrade() -> None:
    connection = op.get_bind()
    statement = dialect_insert(connection.dialect.name, months)
    adding = statement.on_conflict_do_update(
        index_elements=["order_id", "line_id", "earned_on"],
        set_={"pence": months.c.pence + statement.excluded.pence},
    )
    kept: list[dict[str, Any]] = []
    for sold in connection.execute(sa.select(lines).order_by(lines.c.order_id, lines.c.line_id)):
        kept += [
            {"order_id": sold.order_id, "line_id": sold.line_id, "earned_on": day, "pence": pence}
            for day, pence in monthly(int(sold.net_pence), sold.term_start, sold.term_end)
            if pence
        ]
    for first in range(0, len(kept), PAGE):
        connection.execute(adding, kept[first : first + PAGE])
    op.drop_table("term_lines")
