"""audit trail: who changed what, when, from which request

Revision ID: 0b1c2d3e4f50
Revises: 0a1b2c3d4e5f
Create Date: 2026-12-03 21:40:00

"""

from collections.abc import Sequence

from shared.migrations import create_audit_trail, drop_audit_trail

revision: str = "0b1c2d3e4f50"
down_revision: str | Sequence[str] | None = "0a1b2c3d4e5f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_trail()


def downgrade() -> None:
    drop_audit_trail()
