"""register versions from the clock: orders counts a school's entry in microseconds since
1970, past a 32-bit integer, so that its versions keep rising when its database is rebuilt
empty while this copy stays

Revision ID: 103e76ad95d6
Revises: a1d7f5b2c493
Create Date: 2026-12-06 22:00:00

"""

from collections.abc import Sequence

from shared.migrations import widen_register_versions

revision: str = "103e76ad95d6"
down_revision: str | Sequence[str] | None = "a1d7f5b2c493"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    widen_register_versions("schools")


def downgrade() -> None:
    pass  # kept wide: see widen_register_versions
