"""income awaiting delivery: a line neither dated nor termed (a consultancy day) holds its net
in deferred income until its order is delivered. Sales booked before this stay as they were
(income when sold); a refund of one of them still takes back income.

Revision ID: e1f2a3b4c5d6
Revises: c7e2b4f8a913
Create Date: 2026-12-06 04:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1f2a3b4c5d6"
down_revision: str | Sequence[str] | None = "c7e2b4f8a913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_deliveries",
        sa.Column("order_id", sa.String(36), primary_key=True),
        sa.Column("delivered_on", sa.Date()),
    )
    op.create_table(
        "awaiting_delivery",
        sa.Column("order_id", sa.String(36), primary_key=True),
        sa.Column("line_id", sa.String(36), primary_key=True),
        sa.Column("pence", sa.BigInteger(), nullable=False),
        sa.Column("dimensions", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("awaiting_delivery")
    op.drop_table("order_deliveries")
