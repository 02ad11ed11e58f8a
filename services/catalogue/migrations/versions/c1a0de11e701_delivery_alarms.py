"""delivery alarms: refused outbox rows are counted, unappliable events parked

Revision ID: c1a0de11e701
Revises: 84b24e4cdf6d
Create Date: 2026-12-03 17:00:00

"""

from collections.abc import Sequence

from shared.migrations import add_delivery_alarms, drop_delivery_alarms

revision: str = "c1a0de11e701"
down_revision: str | Sequence[str] | None = "84b24e4cdf6d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_delivery_alarms()


def downgrade() -> None:
    drop_delivery_alarms()
