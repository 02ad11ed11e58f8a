"""course sessions: a minimum number, a decision date, and the day one was called off

Revision ID: d7e1a2b3c4f5
Revises: d1a0d17e7101
Create Date: 2026-12-03 20:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7e1a2b3c4f5"
down_revision: str | Sequence[str] | None = "d1a0d17e7101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("course_sessions") as table:
        table.add_column(
            sa.Column("minimum_places", sa.Integer(), nullable=False, server_default="0")
        )
        table.add_column(sa.Column("decision_on", sa.Date(), nullable=True))
        table.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
        table.create_index("ix_course_sessions_decision_on", ["decision_on"])


def downgrade() -> None:
    # In place: rebuilding the table would trip the foreign keys that point at it.
    op.drop_index("ix_course_sessions_decision_on", table_name="course_sessions")
    op.drop_column("course_sessions", "cancelled_on")
    op.drop_column("course_sessions", "decision_on")
    op.drop_column("course_sessions", "minimum_places")
