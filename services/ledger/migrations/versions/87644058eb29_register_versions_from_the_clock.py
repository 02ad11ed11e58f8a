"""register versions from the clock: orders counts a school's entry in microseconds since
1970, past a 32-bit integer, so that its versions keep rising when its database is rebuilt
empty while this copy stays

Revision ID: 87644058eb29
Revises: e6a9b7c1d3f5
Create Date: 2026-12-06 22:00:00

"""

from collections.abc import Sequence

from shared.migrations import widen_register_versions

revision: str = "87644058eb29"
down_revision: str | Sequence[str] | None = "e6a9b7c1d3f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    widen_register_versions("schools")


def downgrade() -> None:
    pass  # kept wide: see widen_register_versions
