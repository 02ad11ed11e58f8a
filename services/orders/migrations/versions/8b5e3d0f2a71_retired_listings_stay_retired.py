"""retired listings stay retired: a retired service's listing is kept, marked with its day of
retirement, so that an update of it delivered late cannot list it again

Revision ID: 8b5e3d0f2a71
Revises: 6e3f0a9b2c51
Create Date: 2026-12-10 09:00:00

A service retired before this was deleted from the listings: the catalogue publishes no update of
it any more, so none is left in flight to list it again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8b5e3d0f2a71"
down_revision: str | Sequence[str] | None = "6e3f0a9b2c51"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What a listing holds; a service retired before orders heard of it has none of it.
HELD = {
    "title": sa.String(length=200),
    "service_type": sa.String(length=20),
    "category": sa.String(length=60),
    "unit_price_pence": sa.BigInteger(),
    "vat_rate": sa.String(length=10),
    "price_version": sa.Integer(),
}


def upgrade() -> None:
    with op.batch_alter_table("listings") as batch_op:
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
        for name, type_ in HELD.items():
            batch_op.alter_column(name, existing_type=type_, nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM listings WHERE retired_on IS NOT NULL")
    with op.batch_alter_table("listings") as batch_op:
        for name, type_ in HELD.items():
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.drop_column("retired_on")
