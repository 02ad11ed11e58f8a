"""register entries versioned: the copy of each school keeps the version of the register entry
it was last given (`orders.school.registered.v1`), so that an older entry applied later changes
nothing

Revision ID: f3b8e6c2d5a4
Revises: d8f2a6c41e97
Create Date: 2026-12-10 09:00:00

A school copied before this is at version 0, older than any entry announced with a version.
"""

from collections.abc import Sequence

from shared.migrations import add_register_versions, drop_register_versions

revision: str = "f3b8e6c2d5a4"
down_revision: str | Sequence[str] | None = "d8f2a6c41e97"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_register_versions("schools")


def downgrade() -> None:
    drop_register_versions("schools")
