"""delivery alarms: refused outbox rows are counted, unappliable events parked

Revision ID: c2a0de11e702
Revises: c41f2a9d7e10
Create Date: 2026-12-03 17:00:00

"""

from collections.abc import Sequence

from shared.migrations import add_delivery_alarms, drop_delivery_alarms

revision: str = "c2a0de11e702"
down_revision: str | Sequence[str] | None = "c41f2a9d7e10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_delivery_alarms()


def downgrade() -> None:
    drop_delivery_alarms()
