"""an open offer keeps its course's title and the day its session starts, so that its reminder
says what the place is on

Revision ID: 1273849506b7
Revises: 1162738495a6
Create Date: 2026-12-07 09:30:00

Offers kept before this name no course: their reminders say "a course you waited for".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1273849506b7"
down_revision: str | Sequence[str] | None = "1162738495a6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("open_offers") as table:
        table.add_column(sa.Column("title", sa.String(length=200), nullable=True))
        table.add_column(sa.Column("starts_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("open_offers") as table:
        table.drop_column("starts_on")
        table.drop_column("title")
