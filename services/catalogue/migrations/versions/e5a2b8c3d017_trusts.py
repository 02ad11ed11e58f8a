"""trusts: a school's academy trust, and each trust's price list

Revision ID: e5a2b8c3d017
Revises: d2b7c4e1f013
Create Date: 2026-12-03 20:25:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5a2b8c3d017"
down_revision: str | Sequence[str] | None = "d2b7c4e1f013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("schools", sa.Column("trust_code", sa.String(length=20), nullable=True))
    op.create_table(
        "trust_price_lists",
        sa.Column("trust_code", sa.String(length=20), primary_key=True),
        sa.Column("trust_name", sa.String(length=200), nullable=False),
        sa.Column("discount_percent", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("trust_price_lists")
    op.drop_column("schools", "trust_code")
