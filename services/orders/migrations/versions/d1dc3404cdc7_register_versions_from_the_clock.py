"""register versions from the clock: orders counts a school's entry in microseconds since
1970, past a 32-bit integer, so that its versions keep rising when its database is rebuilt
empty while this copy stays

Revision ID: d1dc3404cdc7
Revises: b292a0bd7283
Create Date: 2026-12-06 22:00:00

"""

from collections.abc import Sequence

from shared.migrations import widen_register_versions

revision: str = "d1dc3404cdc7"
down_revision: str | Sequence[str] | None = "b292a0bd7283"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    widen_register_versions("schools")


def downgrade() -> None:
    pass  # kept wide: see widen_register_versions
