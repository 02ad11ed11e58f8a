"""services: when a service was retired, so that an order placed from then on (before orders
heard of it) is refused places on its course sessions, and one placed before keeps them

Revision ID: b4d9e2f6a1c3
Revises: 5b8e2d4f7a91
Create Date: 2026-12-07 02:00:00

A service retired before this reads as retired at any moment: an order for it still to be
heard of is refused, as an order placed after the retirement would be.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b4d9e2f6a1c3"
down_revision: str | Sequence[str] | None = "5b8e2d4f7a91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("services") as table:
        table.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # In place: rebuilding the table would trip the foreign keys that point at it.
    op.drop_column("services", "retired_at")
