"""the academy trust each school is in, as orders' register announces it, so that a trust is not
told to renew for a school that has left it

Revision ID: 16b7c8d9e0f1
Revises: 15a6b7c8d9e0
Create Date: 2026-12-09 10:00:00

Empty at first: notifications' new subscription to the schools registered reads orders' stream
from its start, so each school is known as the register last announced it once it catches up.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "16b7c8d9e0f1"
down_revision: str | Sequence[str] | None = "15a6b7c8d9e0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "school_trusts",
        sa.Column("urn", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("trust_code", sa.String(length=20), nullable=True),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("urn"),
    )


def downgrade() -> None:
    op.drop_table("school_trusts")
