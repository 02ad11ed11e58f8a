"""open offers: the session each is on, so that a session called off closes its offers

Revision ID: 0c2d3e4f5061
Revises: 0b1c2d3e4f50
Create Date: 2026-12-04 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0c2d3e4f5061"
down_revision: str | Sequence[str] | None = "0b1c2d3e4f50"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("open_offers") as table:
        table.add_column(sa.Column("session_id", sa.Uuid(), nullable=True))
        table.create_index("ix_open_offers_session_id", ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("open_offers") as table:
        table.drop_index("ix_open_offers_session_id")
        table.drop_column("session_id")
