"""audit trail: who changed what, when, from which request

Revision ID: d4a0d17e7404
Revises: c4a0de11e704
Create Date: 2026-12-03 20:00:00

"""

from collections.abc import Sequence

from shared.migrations import create_audit_trail, drop_audit_trail

revision: str = "d4a0d17e7404"
down_revision: str | Sequence[str] | None = "c4a0de11e704"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_trail()


def downgrade() -> None:
    drop_audit_trail()
