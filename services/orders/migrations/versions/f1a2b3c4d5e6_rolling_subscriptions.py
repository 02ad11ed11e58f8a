"""rolling subscriptions, and the renewal and notice a rolling line carries

Revision ID: f1a2b3c4d5e6
Revises: d5a0d17e7505
Create Date: 2026-12-03 20:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1a2b3c4d5e6"
down_revision: str | Sequence[str] | None = "d5a0d17e7505"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for lines in ("basket_lines", "order_lines"):
        with op.batch_alter_table(lines) as table:
            table.add_column(sa.Column("renews_every", sa.String(10), nullable=True))
            table.add_column(
                sa.Column("notice_days", sa.Integer(), nullable=False, server_default="0")
            )
    op.create_table(
        "rolling_subscriptions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("urn", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("renews_every", sa.String(10), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("payment_method", sa.String(10), nullable=False),
        sa.Column("purchase_order", sa.String(60), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("last_order_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_rolling_subscriptions_urn", "rolling_subscriptions", ["urn"])
    op.create_index(
        "ix_rolling_subscriptions_period_end", "rolling_subscriptions", ["period_end"]
    )


def downgrade() -> None:
    op.drop_table("rolling_subscriptions")
    for lines in ("order_lines", "basket_lines"):
        with op.batch_alter_table(lines) as table:
            table.drop_column("notice_days")
            table.drop_column("renews_every")
