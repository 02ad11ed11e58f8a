"""LA invoice numbers by id: the ledger remembers each LA invoice's number from its
invoice.raised event, so that a service credit naming only the invoice's id (sent before credits
named the number, and replayed) is filed under the number

Nothing is filled in: the book's credits are under their invoice's number already (revision
b2d4f6a8c0e1), and an invoice's id is in no row of the book.

Revision ID: e8a0c2e4f6b9
Revises: d6f8a0c2e4b7
Create Date: 2026-12-07 02:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e8a0c2e4f6b9"
down_revision: str | Sequence[str] | None = "d6f8a0c2e4b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "la_invoice_numbers",
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("invoice_id"),
    )


def downgrade() -> None:
    op.drop_table("la_invoice_numbers")
