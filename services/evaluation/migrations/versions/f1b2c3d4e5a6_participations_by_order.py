"""participations found by their order: each invoice or payment heard of looks its order up

Revision ID: f1b2c3d4e5a6
Revises: d3a0d17e7303
Create Date: 2026-12-04 10:10:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "f1b2c3d4e5a6"
down_revision: str | Sequence[str] | None = "d3a0d17e7303"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participations_order_id"), ["order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participations_order_id"))
