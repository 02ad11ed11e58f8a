"""the course places a trust's order booked for its schools, so that the trust is told when a
session is called off

Revision ID: 138495a617c8
Revises: 1273849506b7
Create Date: 2026-12-07 10:00:00

Empty at first: notifications' new subscription to placed orders reads orders' stream from its
start, so the trust orders it still holds are kept as it catches up.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "138495a617c8"
down_revision: str | Sequence[str] | None = "1273849506b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trust_bookings",
        sa.Column("line_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("urn", sa.Integer(), nullable=False),
        sa.Column("trust_code", sa.String(length=20), nullable=False),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("line_id"),
    )
    op.create_index("ix_trust_bookings_order_id", "trust_bookings", ["order_id"], unique=False)
    op.create_index("ix_trust_bookings_session_id", "trust_bookings", ["session_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_trust_bookings_session_id", table_name="trust_bookings")
    op.drop_index("ix_trust_bookings_order_id", table_name="trust_bookings")
    op.drop_table("trust_bookings")
