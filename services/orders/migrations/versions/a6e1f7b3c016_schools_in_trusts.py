"""schools in trusts: a school on the register may belong to an academy trust

Revision ID: a6e1f7b3c016
Revises: e3c8d5f2a014
Create Date: 2026-12-03 20:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a6e1f7b3c016"
down_revision: str | Sequence[str] | None = "e3c8d5f2a014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("schools", sa.Column("trust_code", sa.String(length=20), nullable=True))
    op.add_column("schools", sa.Column("trust_name", sa.String(length=200), nullable=True))
    op.create_index("ix_schools_trust_code", "schools", ["trust_code"])


def downgrade() -> None:
    op.drop_index("ix_schools_trust_code", table_name="schools")
    op.drop_column("schools", "trust_name")
    op.drop_column("schools", "trust_code")
