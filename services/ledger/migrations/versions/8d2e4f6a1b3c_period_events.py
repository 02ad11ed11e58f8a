"""period events: every closing and reopening of a month, for the audit

Revision ID: 8d2e4f6a1b3c
Revises: 7c1d2e3f4a5b
Create Date: 2026-12-03 16:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d2e4f6a1b3c"
down_revision: str | Sequence[str] | None = "7c1d2e3f4a5b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "period_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_period_events_month", "period_events", ["month"])
    # the months closed before the audit began: their closing is its first entry
    op.execute(
        "INSERT INTO period_events (month, action, by, at) "
        "SELECT month, 'closed', closed_by, closed_at FROM closed_periods"
    )
    op.create_table(
        "contract_names",
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("contract_id"),
    )


def downgrade() -> None:
    op.drop_table("contract_names")
    op.drop_index("ix_period_events_month", table_name="period_events")
    op.drop_table("period_events")
