"""who bought each subscription term: a trust (its code) or, where none, the school itself, so
that the buy-back's reminders go to the one who renews

Revision ID: 0e4f50617283
Revises: 0d3e4f506172
Create Date: 2026-12-06 07:00:00

Terms kept before this name no trust: they are taken as the school's own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0e4f50617283"
down_revision: str | Sequence[str] | None = "0d3e4f506172"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscription_terms") as table:
        table.add_column(sa.Column("trust_code", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscription_terms") as table:
        table.drop_column("trust_code")
