"""what each recipient's renewal reminders of a year told it of, so that a school that becomes
the renewer of more (leaving its trust) is told of those too

Revision ID: 18d9e0f1a2b3
Revises: 16b7c8d9e0f1
Create Date: 2026-12-06 16:00:00

Empty at first: a recipient already sent a year's reminder of a kind (under the key of the
year's first) is told of nothing more of that kind that year.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "18d9e0f1a2b3"
down_revision: str | Sequence[str] | None = "16b7c8d9e0f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "renewals_told",
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("year", sa.String(length=7), nullable=False),
        sa.Column("reminder", sa.String(length=10), nullable=False),
        sa.Column("urn", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("recipient", "year", "reminder", "urn", "service_id"),
    )


def downgrade() -> None:
    op.drop_table("renewals_told")
