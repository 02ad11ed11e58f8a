"""Reversal reasons: finance's reason for each reversal kept whole in a column of its own, read
back from the descriptions the book wrote around it until now where they hold it whole

Revision ID: c3e5a7b9d1f4
Revises: b2d4f6a8c0e1
Create Date: 2026-12-07 01:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3e5a7b9d1f4"
down_revision: str | Sequence[str] | None = "b2d4f6a8c0e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Until this revision, as `domain.transaction.reversal` wrote it: "Reversal of '<what it undoes,
# as described>': <reason>", shortened to 300 characters with "…" when longer.
_WIDTH = 300
_REASON_WIDTH = 200
_REVERSALS = sa.text(
    "SELECT r.id, r.description, t.description AS undone FROM journal_transactions r "
    "JOIN journal_transactions t ON t.id = r.reverses_id"
)


def reason_in(description: str, undone: str) -> str | None:
    """The reason in a reversal's description, if it holds it whole: None when the description
    was shortened (the reason's end is lost) or is not of the book's making."""
    prefix = f"Reversal of '{undone}': "
    cut = len(description) == _WIDTH and description.endswith("…")
    if cut or not description.startswith(prefix):
        return None
    reason = description.removeprefix(prefix)
    return reason if reason.strip() and len(reason) <= _REASON_WIDTH else None


def upgrade() -> None:
    op.add_column(
        "journal_transactions", sa.Column("reversal_reason", sa.String(length=_REASON_WIDTH))
    )
    connection = op.get_bind()
    found = [
        {"id": row.id, "reason": reason}
        for row in connection.execute(_REVERSALS)
        if (reason := reason_in(row.description, row.undone)) is not None
    ]
    if found:
        connection.execute(
            sa.text("UPDATE journal_transactions SET reversal_reason = :reason WHERE id = :id"),
            found,
        )


def downgrade() -> None:
    # SQLite drops a plain column in place (since 3.35): a batch would copy the table, which
    # the postings' foreign keys refuse
    op.execute("ALTER TABLE journal_transactions DROP COLUMN reversal_reason")
