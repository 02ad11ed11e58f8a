"""card refunds asked again: finance may ask the card processor again for a refund it refused,
each attempt under an idempotency key of its own (the refund's id and the attempt's number)

Revision ID: 4c9e2f7a1b38
Revises: 3b8d1e6f0a27
Create Date: 2026-12-08 09:00:00

Every refund recorded before this was asked once: its attempt is 1.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c9e2f7a1b38"
down_revision: str | Sequence[str] | None = "3b8d1e6f0a27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.add_column(sa.Column("attempt", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.drop_column("attempt")
