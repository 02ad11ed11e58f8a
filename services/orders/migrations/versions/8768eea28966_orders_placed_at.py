"""orders placed at: the moment an order was placed, beside its day, so that orders of one day
are listed newest first

Revision ID: 8768eea28966
Revises: 7a4d2c9e1f60
Create Date: 2026-12-06 19:30:00

An order placed before this kept only its day: it takes the moment that day began in England
(its moments within the day are not known; it comes before any placed later that day).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.clock import start_of

revision: str = "8768eea28966"
down_revision: str | Sequence[str] | None = "7a4d2c9e1f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

orders = sa.table(
    "orders",
    sa.column("placed_on", sa.Date()),
    sa.column("placed_at", sa.DateTime(timezone=True)),
)


# Plain ALTER TABLE both ways: SQLite's copy-and-move would drop a table others refer to, so
# there the column stays nullable (orders always sets it); PostgreSQL's is NOT NULL.
def upgrade() -> None:
    op.add_column("orders", sa.Column("placed_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    for day in connection.scalars(sa.select(orders.c.placed_on).distinct()).all():
        connection.execute(
            sa.update(orders).where(orders.c.placed_on == day).values(placed_at=start_of(day))
        )
    if connection.dialect.name == "postgresql":
        op.alter_column("orders", "placed_at", nullable=False)


def downgrade() -> None:
    op.execute("ALTER TABLE orders DROP COLUMN placed_at")
