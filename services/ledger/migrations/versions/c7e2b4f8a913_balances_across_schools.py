"""balances across schools: the balances summed over every school, by month and by day, for
the reports that name no school; covering indexes for the reports by school and the aged debt,
and an account's postings indexed in a statement's order; backfilled from the postings already
in the book

Revision ID: c7e2b4f8a913
Revises: b9d4e0f6a021
Create Date: 2026-12-03 23:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.ledger.adapters.balances import rebuild

revision: str = "c7e2b4f8a913"
down_revision: str | Sequence[str] | None = "b9d4e0f6a021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWED = sa.text("amount_pence > 0")


def upgrade() -> None:
    op.create_table(
        "balances_across_schools",
        sa.Column("month", sa.String(7), primary_key=True),
        *_across_schools(),
    )
    op.create_table(
        "balances_across_schools_by_day",
        sa.Column("posted_on", sa.Date(), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        *_across_schools(),
    )
    op.create_index(
        "ix_balances_account_month",
        "balances",
        ["account", "month", "strand", "urn", "phase", "amount_pence", "debit_pence"],
    )
    op.create_index(
        "ix_open_items_owed",
        "open_items",
        ["account", "urn", "trust_code", "first_debit_on", "amount_pence"],
        sqlite_where=OWED,
        postgresql_where=OWED,
    )
    _index_statements(["account", "posted_on", "id"])
    rebuild(op.get_bind())


def downgrade() -> None:
    _index_statements(["account", "posted_on"])
    op.drop_index("ix_open_items_owed", "open_items")
    op.drop_index("ix_balances_account_month", "balances")
    op.drop_table("balances_across_schools_by_day")
    op.drop_table("balances_across_schools")


def _index_statements(columns: list[str]) -> None:
    op.drop_index("ix_journal_postings_account_posted_on", "journal_postings")
    op.create_index("ix_journal_postings_account_posted_on", "journal_postings", columns)


def _across_schools() -> list[sa.Column[object]]:
    return [
        sa.Column("account", sa.String(120), primary_key=True),
        sa.Column("dimensions_key", sa.String(400), primary_key=True),
        sa.Column("strand", sa.String(10), nullable=False),
        sa.Column("service_id", sa.String(36)),
        sa.Column("category", sa.String(60)),
        sa.Column("contract_id", sa.String(36)),
        sa.Column("funding_source", sa.String(30)),
        sa.Column("cfr_code", sa.String(4)),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("debit_pence", sa.BigInteger(), nullable=False),
    ]
