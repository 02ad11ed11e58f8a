"""trust orders: an order may be a trust's, each of its lines for a school of the trust

Revision ID: b7f2a8c4d018
Revises: a6e1f7b3c016
Create Date: 2026-12-03 20:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7f2a8c4d018"
down_revision: str | Sequence[str] | None = "a6e1f7b3c016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("trust_code", sa.String(length=20), nullable=True))
    op.create_index("ix_orders_trust_code", "orders", ["trust_code"])
    op.add_column("order_lines", sa.Column("school_urn", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("order_lines", "school_urn")
    op.drop_index("ix_orders_trust_code", table_name="orders")
    op.drop_column("orders", "trust_code")
