"""costs attributed by case: a deployment keeps the event that completed it, and a cost posting
the event the ledger booked it for, so a provider cost is counted under its own case

Revision ID: a4c9e2f7b318
Revises: f1b2c3d4e5a6
Create Date: 2026-12-05 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4c9e2f7b318"
down_revision: str | Sequence[str] | None = "f1b2c3d4e5a6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_deployments_event_id"), ["event_id"], unique=False)
    with op.batch_alter_table("cost_postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_event_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cost_postings", schema=None) as batch_op:
        batch_op.drop_column("source_event_id")
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deployments_event_id"))
        batch_op.drop_column("event_id")
