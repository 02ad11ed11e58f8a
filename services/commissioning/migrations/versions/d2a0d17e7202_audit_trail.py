"""audit trail: who changed what, when, from which request; variations over the threshold wait
for a second person's approval

Revision ID: d2a0d17e7202
Revises: c2a0de11e702
Create Date: 2026-12-03 20:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.migrations import create_audit_trail, drop_audit_trail

revision: str = "d2a0d17e7202"
down_revision: str | Sequence[str] | None = "c2a0de11e702"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_trail()
    with op.batch_alter_table("variations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proposed_by", sa.String(length=200), nullable=False, server_default="")
        )
    op.create_table(
        "pending_variations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("value_pence", sa.Integer(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pending_variations_contract_id", "pending_variations", ["contract_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_pending_variations_contract_id", table_name="pending_variations")
    op.drop_table("pending_variations")
    with op.batch_alter_table("variations", schema=None) as batch_op:
        batch_op.drop_column("proposed_by")
    drop_audit_trail()
