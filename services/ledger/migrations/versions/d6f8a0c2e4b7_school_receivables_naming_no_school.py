"""Postings to the schools' receivables that name no school: a journal that named neither a
school nor a trust was kept in no open item, so the aged debt's rows fell short of
`receivables:schools` by it; it is summed into an open item of no school (the aged debt's "No
school named"), or, under a trust's invoice number, into the trust's, and the schools' open
items summed again

Revision ID: d6f8a0c2e4b7
Revises: c3e5a7b9d1f4
Create Date: 2026-12-07 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.ledger.adapters.balances import add_open_items
from services.ledger.domain.accounts import SCHOOL_RECEIVABLES

revision: str = "d6f8a0c2e4b7"
down_revision: str | Sequence[str] | None = "c3e5a7b9d1f4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text("DELETE FROM open_items WHERE account = :code").bindparams(
            code=SCHOOL_RECEIVABLES.code
        )
    )
    add_open_items(op.get_bind(), SCHOOL_RECEIVABLES.code)


def downgrade() -> None:
    """The open items of no school and no trust go (the earlier code would read one as a trust
    of no code); a journal summed into a trust's invoice stays in it."""
    op.execute(
        sa.text(
            "DELETE FROM open_items WHERE account = :code AND urn = 0 AND trust_code IS NULL"
        ).bindparams(code=SCHOOL_RECEIVABLES.code)
    )
