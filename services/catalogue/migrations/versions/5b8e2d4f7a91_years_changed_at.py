"""services: when the academic years a service is sold for last changed, so that an order placed
after they narrowed (before orders heard of it) is refused places on a session in a year no
longer sold, and one placed before keeps them

Revision ID: 5b8e2d4f7a91
Revises: 37121c44ef07
Create Date: 2026-12-06 22:10:00

A service whose years changed before this reads as never changed: an order for a year it does
not sell is refused, as an order placed after the change would be.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b8e2d4f7a91"
down_revision: str | Sequence[str] | None = "37121c44ef07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("services") as table:
        table.add_column(sa.Column("years_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # In place: rebuilding the table would trip the foreign keys that point at it.
    op.drop_column("services", "years_changed_at")
