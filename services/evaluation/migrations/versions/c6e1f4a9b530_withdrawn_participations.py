"""the services of an order a school was given back whole (its session called off, its offered
places declined or lapsed), in which it takes no part

Revision ID: c6e1f4a9b530
Revises: b5d0e3f8a429
Create Date: 2026-12-06 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c6e1f4a9b530"
down_revision: str | Sequence[str] | None = "b5d0e3f8a429"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "withdrawn_participations",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("urn", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", "urn", "service_id"),
    )


def downgrade() -> None:
    op.drop_table("withdrawn_participations")
