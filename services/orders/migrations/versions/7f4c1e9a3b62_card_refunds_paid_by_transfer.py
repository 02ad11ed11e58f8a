"""card refunds paid by transfer: a card refund the card processor refused may be recorded as
paid back from the bank by finance instead (method bank_transfer, the bank's reference kept)

Revision ID: 7f4c1e9a3b62
Revises: 6e3b0d8f2a51
Create Date: 2026-12-09 10:00:00

Every card refund recorded before this went back, or is asked to go back, by card.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7f4c1e9a3b62"
down_revision: str | Sequence[str] | None = "6e3b0d8f2a51"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.add_column(sa.Column("method", sa.String(length=20), nullable=True))
    op.execute("UPDATE refunds SET method = 'card' WHERE kind = 'card_refund'")


def downgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.drop_column("method")
