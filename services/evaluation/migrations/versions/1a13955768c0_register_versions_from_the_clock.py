"""register versions from the clock: orders counts a school's entry in microseconds since
1970, past a 32-bit integer, so that its versions keep rising when its database is rebuilt
empty while this copy stays

Revision ID: 1a13955768c0
Revises: f3b8e6c2d5a4
Create Date: 2026-12-06 22:00:00

"""

from collections.abc import Sequence

from shared.migrations import widen_register_versions

revision: str = "1a13955768c0"
down_revision: str | Sequence[str] | None = "f3b8e6c2d5a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    widen_register_versions("schools")


def downgrade() -> None:
    pass  # kept wide: see widen_register_versions
