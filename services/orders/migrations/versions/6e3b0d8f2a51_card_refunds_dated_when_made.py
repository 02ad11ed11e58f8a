"""card refunds dated when made: a card refund's issued_on becomes the day the card processor
made it, and the day it was first asked is kept beside it (asked_on)

Revision ID: 6e3b0d8f2a51
Revises: 4c9e2f7a1b38
Create Date: 2026-12-09 09:00:00

A card refund recorded before this kept the day it was asked as its issued_on: that day is its
asked_on too (the day one already made was made is not known here).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6e3b0d8f2a51"
down_revision: str | Sequence[str] | None = "4c9e2f7a1b38"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.add_column(sa.Column("asked_on", sa.Date(), nullable=True))
    op.execute("UPDATE refunds SET asked_on = issued_on WHERE kind = 'card_refund'")


def downgrade() -> None:
    with op.batch_alter_table("refunds") as table:
        table.drop_column("asked_on")
