"""an open invoice keeps its total, so that its reminders say what is still owed beside it

Revision ID: 1162738495a6
Revises: 105172839405
Create Date: 2026-12-07 09:00:00

Invoices kept before this have no total: their reminders say only what is still owed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1162738495a6"
down_revision: str | Sequence[str] | None = "105172839405"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("open_invoices") as table:
        table.add_column(sa.Column("gross_pence", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("open_invoices") as table:
        table.drop_column("gross_pence")
