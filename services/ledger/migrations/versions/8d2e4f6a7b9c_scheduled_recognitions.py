"""scheduled recognitions: income posted when it is earned, not when it is sold

Revision ID: 8d2e4f6a7b9c
Revises: 8d2e4f6a1b3c
Create Date: 2026-12-03 16:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d2e4f6a7b9c"
down_revision: str | Sequence[str] | None = "8d2e4f6a1b3c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_recognitions",
        sa.Column("source_key", sa.String(length=120), nullable=False),
        sa.Column("source_event_id", sa.String(length=36), nullable=True),
        sa.Column("source_subject", sa.String(length=200), nullable=False),
        sa.Column("strand", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("postings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("source_key"),
    )
    op.create_index(
        op.f("ix_scheduled_recognitions_due_on"), "scheduled_recognitions", ["due_on"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scheduled_recognitions_due_on"), table_name="scheduled_recognitions")
    op.drop_table("scheduled_recognitions")
