"""orders keep their trust's name: a trust's order names the trust that placed it, whatever the
register says of its schools since

Revision ID: 6e3f0a9b2c51
Revises: 7f4c1e9a3b62
Create Date: 2026-12-08 12:00:00

A trust's order placed before this takes the name the register gives its trust now, where a
school is still in it; otherwise it keeps none (its events then name the trust by code only).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6e3f0a9b2c51"
down_revision: str | Sequence[str] | None = "7f4c1e9a3b62"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE both ways: SQLite's copy-and-move would drop a table others refer to.
def upgrade() -> None:
    op.add_column("orders", sa.Column("trust_name", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE orders SET trust_name = (SELECT MAX(schools.trust_name) FROM schools"
        " WHERE schools.trust_code = orders.trust_code) WHERE trust_code IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE orders DROP COLUMN trust_name")
