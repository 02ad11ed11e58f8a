"""bookings: the moment an offered place stops being held for the school

Revision ID: e9a3c4d5e6f7
Revises: e8f2b3c4d5a6
Create Date: 2026-12-03 20:25:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e9a3c4d5e6f7"
down_revision: str | Sequence[str] | None = "e8f2b3c4d5a6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bookings") as table:
        table.add_column(sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # In place: rebuilding the table would trip the foreign keys that point at it.
    op.drop_column("bookings", "offer_expires_at")
