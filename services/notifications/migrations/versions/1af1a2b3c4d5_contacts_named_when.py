"""when a school named each contact, so that a naming applied late (by a second worker, or
retried) does not replace a later one

Revision ID: 1af1a2b3c4d5
Revises: 19e0f1a2b3c4
Create Date: 2026-12-10 11:00:00

Contacts kept already have none: the next naming of each replaces it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1af1a2b3c4d5"
down_revision: str | Sequence[str] | None = "19e0f1a2b3c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as table:
        table.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as table:
        table.drop_column("changed_at")
