"""delivery alarms: refused outbox rows are counted, unappliable events parked

Revision ID: c5a0de11e705
Revises: 5d2a9c1e7b40
Create Date: 2026-12-03 17:00:00

"""

from collections.abc import Sequence

from shared.migrations import add_delivery_alarms, drop_delivery_alarms

revision: str = "c5a0de11e705"
down_revision: str | Sequence[str] | None = "5d2a9c1e7b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_delivery_alarms()


def downgrade() -> None:
    drop_delivery_alarms()
