"""each order's card payment and its refunds, so that refunds from before refund events said
whether they left the payment refunded in full, which together give it all back, stop its
renewal as orders counts it

Revision ID: 1e35d6e7f809
Revises: 1d24c5d6e7f8
Create Date: 2026-12-06 22:00:00

Empty at first: the payments and refunds applied from now on are kept. An order whose refunds
were all applied before this learns nothing from it (their events are not delivered again).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1e35d6e7f809"
down_revision: str | Sequence[str] | None = "1d24c5d6e7f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "card_payments",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("paid_pence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "card_refunds",
        sa.Column("refund_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("gross_pence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("refund_id"),
    )
    op.create_index("ix_card_refunds_order_id", "card_refunds", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_card_refunds_order_id", table_name="card_refunds")
    op.drop_table("card_refunds")
    op.drop_table("card_payments")
