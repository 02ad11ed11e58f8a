"""each school's name, as orders' register announces it, so that a trust's buyer reads its schools
by name and not by a bare URN

Revision ID: 1b02a3b4c5d6
Revises: 1af1a2b3c4d5
Create Date: 2026-12-06 19:00:00

Schools kept already have none: each is named by its URN alone until the register announces it
again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1b02a3b4c5d6"
down_revision: str | Sequence[str] | None = "1af1a2b3c4d5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("school_trusts") as table:
        table.add_column(sa.Column("name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("school_trusts") as table:
        table.drop_column("name")
