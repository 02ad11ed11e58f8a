"""service credit parts earned as: the rest of a credit an invoice took only part of names the
credit as earned, so that an actual can say what became of all of its credit

Revision ID: 4b8e2c6d1f3a
Revises: 103e76ad95d6
Create Date: 2026-12-07 01:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4b8e2c6d1f3a"
down_revision: str | Sequence[str] | None = "103e76ad95d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A rest split off before this column was kept the credit's KPI and reason (which names the
# period, one actual a period) but not its id: the credit its actual names is the one of the
# same KPI and reason that an actual names.
EARNED_AS = sa.text(
    "UPDATE service_credits SET earned_as_id = ("
    " SELECT earned.id FROM service_credits AS earned"
    " JOIN kpi_reports ON kpi_reports.service_credit_id = earned.id"
    " WHERE earned.kpi_id = service_credits.kpi_id AND earned.reason = service_credits.reason)"
    " WHERE id NOT IN ("
    "  SELECT service_credit_id FROM kpi_reports WHERE service_credit_id IS NOT NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("service_credits") as table:
        table.add_column(sa.Column("earned_as_id", sa.Uuid(), nullable=True))
        table.create_index("ix_service_credits_earned_as_id", ["earned_as_id"], unique=False)
    op.execute(EARNED_AS)


def downgrade() -> None:
    with op.batch_alter_table("service_credits") as table:
        table.drop_index("ix_service_credits_earned_as_id")
        table.drop_column("earned_as_id")
