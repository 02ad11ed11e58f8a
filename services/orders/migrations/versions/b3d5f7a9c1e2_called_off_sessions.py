"""called-off sessions: a basket's line on a course session the catalogue called off is
refused at checkout

Revision ID: b3d5f7a9c1e2
Revises: 1f2e3d4c5b6a
Create Date: 2026-12-07 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3d5f7a9c1e2"
down_revision: str | Sequence[str] | None = "1f2e3d4c5b6a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "called_off_sessions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("called_off_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )


def downgrade() -> None:
    op.drop_table("called_off_sessions")
