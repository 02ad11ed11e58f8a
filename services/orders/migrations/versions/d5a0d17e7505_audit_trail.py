"""audit trail: who changed what, when, from which request

Revision ID: d5a0d17e7505
Revises: c5a0de11e705
Create Date: 2026-12-03 20:00:00

"""

from collections.abc import Sequence

from shared.migrations import create_audit_trail, drop_audit_trail

revision: str = "d5a0d17e7505"
down_revision: str | Sequence[str] | None = "c5a0de11e705"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_trail()


def downgrade() -> None:
    drop_audit_trail()
