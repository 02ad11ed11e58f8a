"""register entries versioned: each school's entry counts its changes, announced with it so that
the other services' copies keep the newest

Revision ID: 7a4d2c9e1f60
Revises: 8b5e3d0f2a71
Create Date: 2026-12-10 09:10:00

A school on the register before this is at version 0: its next change announces version 1.
"""

from collections.abc import Sequence

from shared.migrations import add_register_versions, drop_register_versions

revision: str = "7a4d2c9e1f60"
down_revision: str | Sequence[str] | None = "8b5e3d0f2a71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_register_versions("schools")


def downgrade() -> None:
    drop_register_versions("schools")
