"""LA payment references: each payment's bank reference kept whole in a column of its own,
read back from the descriptions the book wrote around it until now

Revision ID: a1c3e5f7b9d2
Revises: f7c3a9e1b2d4
Create Date: 2026-12-06 23:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c3e5f7b9d2"
down_revision: str | Sequence[str] | None = "f7c3a9e1b2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The payments as the book described them until this revision, filed under their invoice's
# number on receivables: LA.
_PAYMENTS = sa.text(
    "SELECT t.id, t.description, p.document FROM journal_transactions t "
    "JOIN journal_postings p ON p.transaction_id = t.id "
    "WHERE t.kind = 'la_payment' AND p.account = 'receivables:la'"
)


def _reference_in(description: str, invoice_number: str) -> str:
    """As `la_paid` wrote it: "Payment <reference> by the LA against <invoice number>"."""
    return description.removeprefix("Payment ").removesuffix(
        f" by the LA against {invoice_number}"
    )


def upgrade() -> None:
    op.add_column("journal_transactions", sa.Column("reference", sa.String(length=100)))
    connection = op.get_bind()
    found = connection.execute(_PAYMENTS).all()
    if found:
        connection.execute(
            sa.text("UPDATE journal_transactions SET reference = :reference WHERE id = :id"),
            [
                {"id": row.id, "reference": _reference_in(row.description, row.document)}
                for row in found
            ],
        )


def downgrade() -> None:
    # SQLite drops a plain column in place (since 3.35): a batch would copy the table, which
    # the postings' foreign keys refuse
    op.execute("ALTER TABLE journal_transactions DROP COLUMN reference")
