"""rolling services: how often one renews and the notice it needs

Revision ID: e8f2b3c4d5a6
Revises: d7e1a2b3c4f5
Create Date: 2026-12-03 20:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e8f2b3c4d5a6"
down_revision: str | Sequence[str] | None = "d7e1a2b3c4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("services") as table:
        table.add_column(sa.Column("renews_every", sa.String(10), nullable=True))
        table.add_column(
            sa.Column("notice_days", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    # In place: rebuilding the table would trip the foreign keys that point at it.
    op.drop_column("services", "notice_days")
    op.drop_column("services", "renews_every")
