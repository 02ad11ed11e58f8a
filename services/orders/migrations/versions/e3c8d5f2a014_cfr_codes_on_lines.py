"""cfr codes on lines: a basket's and an order's lines keep the CFR code they were quoted with

Revision ID: e3c8d5f2a014
Revises: e7a1b2c3d4f5
Create Date: 2026-12-03 20:05:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3c8d5f2a014"
down_revision: str | Sequence[str] | None = "e7a1b2c3d4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("basket_lines", "order_lines")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("cfr_code", sa.String(length=4), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "cfr_code")
