"""headteacher approval: a school's spending limit, orders awaiting approval; school contacts

Revision ID: e7a1b2c3d4f5
Revises: f1a2b3c4d5e6
Create Date: 2026-12-03 20:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7a1b2c3d4f5"
down_revision: str | Sequence[str] | None = "f1a2b3c4d5e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("approved_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("approve_by", sa.Date(), nullable=True))
    op.create_table(
        "approval_policies",
        sa.Column("urn", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("spending_limit_pence", sa.BigInteger(), nullable=True),
        sa.Column("every_order", sa.Boolean(), nullable=False),
        sa.Column("approval_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["urn"], ["schools.urn"]),
        sa.PrimaryKeyConstraint("urn"),
    )
    op.create_table(
        "school_contacts",
        sa.Column("urn", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contact", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(["urn"], ["schools.urn"]),
        sa.PrimaryKeyConstraint("urn", "contact"),
    )


def downgrade() -> None:
    op.drop_table("school_contacts")
    op.drop_table("approval_policies")
    # In place: rebuilding the orders table would trip the foreign keys that point at it.
    for column in ("approve_by", "approved_on", "approved_by"):
        op.drop_column("orders", column)
