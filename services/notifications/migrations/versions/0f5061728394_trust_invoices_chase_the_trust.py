"""a trust's open invoice keeps the trust's code, so that its reminders go to the trust

Revision ID: 0f5061728394
Revises: 0e4f50617283
Create Date: 2026-12-06 07:15:00

Invoices kept before this name no trust code: their reminders still go to the first school's
finance contact.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0f5061728394"
down_revision: str | Sequence[str] | None = "0e4f50617283"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("open_invoices") as table:
        table.add_column(sa.Column("trust_code", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("open_invoices") as table:
        table.drop_column("trust_code")
