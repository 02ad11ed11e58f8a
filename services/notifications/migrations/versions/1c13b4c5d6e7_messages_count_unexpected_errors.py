"""messages: how many times delivering one failed in a way neither temporary nor permanent, so
that such a message is failed after a few tries instead of being tried for ever

Revision ID: 1c13b4c5d6e7
Revises: 1b02a3b4c5d6
Create Date: 2026-12-06 19:10:00

Messages kept already count none: one stuck on such an error is tried its few times from now.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1c13b4c5d6e7"
down_revision: str | Sequence[str] | None = "1b02a3b4c5d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.add_column(
            sa.Column("unexpected_errors", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.drop_column("unexpected_errors")
