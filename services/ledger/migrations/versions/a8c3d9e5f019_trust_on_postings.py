"""trust on postings: a trust's order is owed by the trust, not by one of its schools

Revision ID: a8c3d9e5f019
Revises: f4d9e6a3b015
Create Date: 2026-12-03 20:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a8c3d9e5f019"
down_revision: str | Sequence[str] | None = "f4d9e6a3b015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("journal_postings", sa.Column("trust_code", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("journal_postings", "trust_code")
