"""a programme's end: a school that joins after its last day, and money spent after it, are
not the programme's

Revision ID: b5d0e3f8a429
Revises: a4c9e2f7b318
Create Date: 2026-12-06 05:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b5d0e3f8a429"
down_revision: str | Sequence[str] | None = "a4c9e2f7b318"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programmes") as table:
        table.add_column(sa.Column("ends_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("programmes") as table:
        table.drop_column("ends_on")
