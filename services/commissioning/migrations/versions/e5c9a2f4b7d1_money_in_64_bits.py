"""money in 64 bits: the API takes amounts up to £100m (MAX_PENCE), beyond a 32-bit integer

Revision ID: e5c9a2f4b7d1
Revises: d2a0d17e7202
Create Date: 2026-12-05 09:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5c9a2f4b7d1"
down_revision: str | Sequence[str] | None = "d2a0d17e7202"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENCE_COLUMNS = {
    "contracts": ("value_pence", "annual_value_pence", "vat_not_recoverable_pence"),
    "variations": ("value_pence",),
    "pending_variations": ("value_pence",),
    "milestones": ("payment_pence",),
    "la_invoices": ("net_pence", "vat_pence"),
    "kpis": ("service_credit_pence",),
    "service_credits": ("net_pence",),
    "deployments": ("day_rate_pence",),
}


def upgrade() -> None:
    _alter(sa.Integer(), sa.BigInteger())


def downgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer())


def _alter(existing: sa.types.TypeEngine[int], wanted: sa.types.TypeEngine[int]) -> None:
    if op.get_bind().dialect.name == "sqlite":  # its integers are 64 bits already
        return
    for table, columns in PENCE_COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=wanted, existing_type=existing)
