"""cfr code on postings: traded income can be reported by what schools book it against

Revision ID: f4d9e6a3b015
Revises: d5b1a7c3e9f2
Create Date: 2026-12-03 20:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4d9e6a3b015"
down_revision: str | Sequence[str] | None = "d5b1a7c3e9f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("journal_postings", sa.Column("cfr_code", sa.String(length=4), nullable=True))


def downgrade() -> None:
    op.drop_column("journal_postings", "cfr_code")
