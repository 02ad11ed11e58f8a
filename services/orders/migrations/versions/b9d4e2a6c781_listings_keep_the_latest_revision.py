"""listings: the revision of the catalogue's service each listing holds, so that of two changes
leaving its price version as it was (a title, a category) the later stands, whichever arrives last

Revision ID: b9d4e2a6c781
Revises: 8768eea28966
Create Date: 2026-12-06 20:00:00

A listing kept before this holds revision 0, as an event from before revisions reads.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b9d4e2a6c781"
down_revision: str | Sequence[str] | None = "8768eea28966"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("listings") as table:
        table.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("listings") as table:
        table.drop_column("revision")
