"""a trust's booking keeps the day its session runs, so that it is forgotten once the session
has run

Revision ID: 15a6b7c8d9e0
Revises: 1495a617c8d9
Create Date: 2026-12-09 09:00:00

Bookings kept before this have no day: each is forgotten once its order was cancelled long ago.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "15a6b7c8d9e0"
down_revision: str | Sequence[str] | None = "1495a617c8d9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trust_bookings") as table:
        table.add_column(sa.Column("runs_on", sa.Date(), nullable=True))
        table.create_index("ix_trust_bookings_runs_on", ["runs_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trust_bookings") as table:
        table.drop_index("ix_trust_bookings_runs_on")
        table.drop_column("runs_on")
