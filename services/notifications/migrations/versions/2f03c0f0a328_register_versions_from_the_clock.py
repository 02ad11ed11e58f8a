"""register versions from the clock: orders counts a school's entry in microseconds since
1970, past a 32-bit integer, so that its versions keep rising when its database is rebuilt
empty while this copy stays

Revision ID: 2f03c0f0a328
Revises: 1e35d6e7f809
Create Date: 2026-12-06 22:00:00

"""

from collections.abc import Sequence

from shared.migrations import widen_register_versions

revision: str = "2f03c0f0a328"
down_revision: str | Sequence[str] | None = "1e35d6e7f809"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    widen_register_versions("school_trusts")


def downgrade() -> None:
    pass  # kept wide: see widen_register_versions
