"""course_sessions: the day its decision date found a session had its minimum, so it runs

Revision ID: f7c2d9e4a1b3
Revises: 9c6f4e1a3b82
Create Date: 2026-12-06 19:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f7c2d9e4a1b3"
down_revision: str | Sequence[str] | None = "9c6f4e1a3b82"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("course_sessions") as table:
        table.add_column(sa.Column("confirmed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # In place: rebuilding the table would trip the foreign keys that point at it.
    op.drop_column("course_sessions", "confirmed_on")
