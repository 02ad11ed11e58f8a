"""an index on the school each trust order line is for: staff asking for a school's orders
find its trust's orders with a line for it

Revision ID: 1f2e3d4c5b6a
Revises: c8e1d4b6f9a3
Create Date: 2026-12-06 02:10:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "1f2e3d4c5b6a"
down_revision: str | Sequence[str] | None = "c8e1d4b6f9a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_order_lines_school_urn", "order_lines", ["school_urn"])


def downgrade() -> None:
    op.drop_index("ix_order_lines_school_urn", table_name="order_lines")
