"""a basket line names the trust whose buyer added it: a school's own basket and its trust's
basket for it are two baskets, each checked out by whoever filled it

Revision ID: 2a3b4c5d6e7f
Revises: b3d5f7a9c1e2
Create Date: 2026-12-06 07:30:00

Lines kept before this name no trust: they stay in the school's own basket.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2a3b4c5d6e7f"
down_revision: str | Sequence[str] | None = "b3d5f7a9c1e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("basket_lines") as table:
        table.add_column(sa.Column("trust_code", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("basket_lines") as table:
        table.drop_column("trust_code")
