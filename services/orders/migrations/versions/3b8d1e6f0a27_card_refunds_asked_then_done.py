"""card refunds asked then done: a card refund is recorded `asked` (with the refund.issued event
it sends, held back) in the transaction that gives the money back, and marked `done` once Stripe
has made it, or `failed` (with why) if Stripe refused it

Revision ID: 3b8d1e6f0a27
Revises: 2a3b4c5d6e7f
Create Date: 2026-12-07 09:00:00

Refunds and credit notes recorded before this were made in one transaction: they are `done`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b8d1e6f0a27"
down_revision: str | Sequence[str] | None = "2a3b4c5d6e7f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="done")
        )
        table.add_column(sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("refused", sa.String(length=300), nullable=True))
        table.add_column(sa.Column("news", sa.Text(), nullable=True))
        table.create_index("ix_refunds_status", ["status"])


def downgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.drop_index("ix_refunds_status")
        for column in ("news", "refused", "asked_at", "status"):
            table.drop_column(column)
