"""services: a revision counted with every change announced, so that orders' copy of a service
keeps the later of two changes that leave its price version as it was

Revision ID: a3f1c7e9b254
Revises: f7c2d9e4a1b3
Create Date: 2026-12-06 20:00:00

A service changed before this reads as revision 0, as the events announcing it did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3f1c7e9b254"
down_revision: str | Sequence[str] | None = "f7c2d9e4a1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("services") as table:
        table.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    # In place: rebuilding the table would trip the foreign keys that point at it.
    op.drop_column("services", "revision")
