"""awaiting delivery by document: each held line names its sale's invoice or payment reference,
so that the journal says what a sale still holds for delivery; filled in for the rows held
already, from the dimensions they keep

Revision ID: f2a3b4c5d6e7
Revises: e1f2a3b4c5d6
Create Date: 2026-12-06 05:10:00

"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2a3b4c5d6e7"
down_revision: str | Sequence[str] | None = "e1f2a3b4c5d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("awaiting_delivery") as table:
        table.add_column(sa.Column("document", sa.String(120), nullable=True))
        table.create_index("ix_awaiting_delivery_document", ["document"])
    held = sa.table(
        "awaiting_delivery",
        sa.column("order_id", sa.String),
        sa.column("line_id", sa.String),
        sa.column("dimensions", sa.Text),
        sa.column("document", sa.String),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(held.c.order_id, held.c.line_id, held.c.dimensions)):
        connection.execute(
            held.update()
            .where((held.c.order_id == row.order_id) & (held.c.line_id == row.line_id))
            .values(document=json.loads(row.dimensions).get("document"))
        )


def downgrade() -> None:
    with op.batch_alter_table("awaiting_delivery") as table:
        table.drop_index("ix_awaiting_delivery_document")
        table.drop_column("document")
