"""listings: the academic years the catalogue sells each service for, so that a basket's course
line on a session in a year no longer sold is refused at checkout, as the catalogue's quote would

Revision ID: b292a0bd7283
Revises: b9d4e2a6c781
Create Date: 2026-12-07 10:00:00

A listing kept before this lists no year, which reads as any year, as an event from before the
catalogue announced its years does, until the next change announced of the service.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b292a0bd7283"
down_revision: str | Sequence[str] | None = "b9d4e2a6c781"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("listings") as table:
        table.add_column(sa.Column("academic_years", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("listings") as table:
        table.drop_column("academic_years")
