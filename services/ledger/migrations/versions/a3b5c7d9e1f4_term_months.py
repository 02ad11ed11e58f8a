"""term months: what each month of a termed line (a subscription's) still earns, so that a
line given back in parts leaves each month the spread of what is left. Lines sold before this
are not in it: their give-backs take from what they gave back before (each the spread of all
given back of those months, less that before), which gives a line given back whole in parts over
the same months nothing in any month too.

Revision ID: a3b5c7d9e1f4
Revises: f2a3b4c5d6e7
Create Date: 2026-12-07 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3b5c7d9e1f4"
down_revision: str | Sequence[str] | None = "f2a3b4c5d6e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "term_months",
        sa.Column("order_id", sa.String(36), primary_key=True),
        sa.Column("line_id", sa.String(36), primary_key=True),
        sa.Column("earned_on", sa.Date(), primary_key=True),
        sa.Column("pence", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("term_months")
