"""cfr and trusts in balances: the balances are kept by CFR code too, and an open item may be
a trust's invoice; rebuilt from the postings already in the book

Revision ID: b9d4e0f6a021
Revises: a8c3d9e5f019
Create Date: 2026-12-03 21:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.ledger.adapters.balances import rebuild

revision: str = "b9d4e0f6a021"
down_revision: str | Sequence[str] | None = "a8c3d9e5f019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("balances", sa.Column("cfr_code", sa.String(length=4), nullable=True))
    op.add_column("open_items", sa.Column("trust_code", sa.String(length=20), nullable=True))
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_column("open_items", "trust_code")
    op.drop_column("balances", "cfr_code")
    rebuild(op.get_bind())
