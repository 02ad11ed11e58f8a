"""balances per account, month and dimension, and open items per school invoice, kept as
postings are made; backfilled from the postings already in the book

Revision ID: d5b1a7c3e9f2
Revises: d4a0d17e7404
Create Date: 2026-12-03 20:15:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.ledger.adapters.balances import rebuild

revision: str = "d5b1a7c3e9f2"
down_revision: str | Sequence[str] | None = "d4a0d17e7404"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_journal_postings_posted_on", "journal_postings", ["posted_on"])
    op.create_table(
        "balances",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("account", sa.String(120), primary_key=True),
        sa.Column("dimensions_key", sa.String(400), primary_key=True),
        sa.Column("strand", sa.String(10), nullable=False),
        sa.Column("urn", sa.Integer()),
        sa.Column("phase", sa.String(40)),
        sa.Column("la_code", sa.String(10)),
        sa.Column("service_id", sa.String(36)),
        sa.Column("category", sa.String(60)),
        sa.Column("contract_id", sa.String(36)),
        sa.Column("funding_source", sa.String(30)),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("debit_pence", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "open_items",
        sa.Column("account", sa.String(120), primary_key=True),
        sa.Column("document", sa.String(120), primary_key=True),
        sa.Column("urn", sa.Integer(), primary_key=True),
        sa.Column("first_debit_on", sa.Date()),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
    )
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("open_items")
    op.drop_table("balances")
    op.drop_index("ix_journal_postings_posted_on", "journal_postings")
