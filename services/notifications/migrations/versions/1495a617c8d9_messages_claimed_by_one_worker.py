"""messages: the claim of the delivery worker sending one, so that only it records the outcome

Revision ID: 1495a617c8d9
Revises: 138495a617c8
Create Date: 2026-12-08 09:00:00

Messages kept before this hold no claim: one a worker was sending as the upgrade ran is taken
again once its lease runs out, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1495a617c8d9"
down_revision: str | Sequence[str] | None = "138495a617c8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.add_column(sa.Column("claim", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.drop_column("claim")
