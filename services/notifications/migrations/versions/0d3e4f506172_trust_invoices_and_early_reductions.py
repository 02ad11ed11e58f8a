"""a trust's invoices: the trust named as the debtor, and a subscription term kept for each of the
order's schools; payments and credits applied before their invoice was seen, kept for it

Revision ID: 0d3e4f506172
Revises: 0c2d3e4f5061
Create Date: 2026-12-10 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0d3e4f506172"
down_revision: str | Sequence[str] | None = "0c2d3e4f5061"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("open_invoices") as table:
        table.add_column(sa.Column("trust_name", sa.String(length=200), nullable=True))
    op.create_table(
        "early_reductions",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("owed_pence", sa.BigInteger(), nullable=True),
        sa.Column("less_pence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id"),
    )
    _key_subscription_terms_by("order_id", "term_start", "urn")


def downgrade() -> None:
    # A trust's order's terms for its other schools cannot be kept under the narrower key.
    op.execute(
        "DELETE FROM subscription_terms WHERE urn <> (SELECT min(urn) FROM subscription_terms"
        " AS kept WHERE kept.order_id = subscription_terms.order_id"
        " AND kept.term_start = subscription_terms.term_start)"
    )
    _key_subscription_terms_by("order_id", "term_start")
    op.drop_table("early_reductions")
    with op.batch_alter_table("open_invoices") as table:
        table.drop_column("trust_name")


def _key_subscription_terms_by(*key: str) -> None:
    """The table again with this primary key (its constraint is unnamed, which SQLite and
    PostgreSQL name differently): a copy, then the copy in its place."""
    op.create_table(
        "subscription_terms_rekeyed",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("urn", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*key),
    )
    op.execute(
        "INSERT INTO subscription_terms_rekeyed (order_id, term_start, urn)"
        " SELECT order_id, term_start, urn FROM subscription_terms"
    )
    op.drop_table("subscription_terms")
    op.rename_table("subscription_terms_rekeyed", "subscription_terms")
    if op.get_bind().dialect.name == "postgresql":  # its name, as the table's first one had
        op.execute(
            "ALTER TABLE subscription_terms"
            " RENAME CONSTRAINT subscription_terms_rekeyed_pkey TO subscription_terms_pkey"
        )
    op.create_index("ix_subscription_terms_urn", "subscription_terms", ["urn"], unique=False)
