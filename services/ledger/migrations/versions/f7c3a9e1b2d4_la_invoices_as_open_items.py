"""LA invoices as open items: what is left of each invoice to the LA is kept as a school
invoice's is, for the LA's payments and the aged debt; summed from the postings already in the
book

Revision ID: f7c3a9e1b2d4
Revises: 87644058eb29
Create Date: 2026-12-06 22:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.ledger.adapters.balances import add_open_items
from services.ledger.domain.accounts import LA_RECEIVABLES

revision: str = "f7c3a9e1b2d4"
down_revision: str | Sequence[str] | None = "87644058eb29"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _forget_la_items() -> None:
    op.execute(sa.text("DELETE FROM open_items WHERE account = :code").bindparams(
        code=LA_RECEIVABLES.code
    ))  # fmt: skip


def upgrade() -> None:
    _forget_la_items()
    add_open_items(op.get_bind(), LA_RECEIVABLES.code)


def downgrade() -> None:
    _forget_la_items()
