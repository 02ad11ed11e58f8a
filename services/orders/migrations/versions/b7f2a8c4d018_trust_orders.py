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
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("trust_code", sa.String(length=20), nullable=True))
        batch.create_index("ix_orders_trust_code", ["trust_code"])
    with op.batch_alter_table("order_lines") as batch:
        batch.add_column(sa.Column("school_urn", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_column("school_urn")
    with op.batch_alter_table("orders") as batch:
        batch.drop_index("ix_orders_trust_code")
        batch.drop_column("trust_code")
