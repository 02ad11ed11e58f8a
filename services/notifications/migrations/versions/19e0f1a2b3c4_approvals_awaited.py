"""the orders awaiting their school's approver, so that an approval asked for after the order was
approved or cancelled (each applied by its own consumer) is not asked for

Revision ID: 19e0f1a2b3c4
Revises: 18d9e0f1a2b3
Create Date: 2026-12-10 10:00:00

Empty at first: an approval asked for from now on is kept until `orders.order.approved` (a new
subscription, which reads orders' stream from its start) or `orders.order.cancelled` answers it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "19e0f1a2b3c4"
down_revision: str | Sequence[str] | None = "18d9e0f1a2b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approvals_awaited",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("order_id"),
    )


def downgrade() -> None:
    op.drop_table("approvals_awaited")
