"""money in 64 bits: the API takes amounts of up to £100m (MAX_PENCE), past a 32-bit integer

Revision ID: f6d0b3a5c8e2
Revises: e5a2b8c3d017
Create Date: 2026-12-05 09:30:00.000000

"""

from collections.abc import Sequence

from shared.migrations import narrow_to_32_bits, widen_to_64_bits

revision: str = "f6d0b3a5c8e2"
down_revision: str | Sequence[str] | None = "e5a2b8c3d017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENCE = {"services": ("unit_price_pence",)}


def upgrade() -> None:
    widen_to_64_bits(PENCE)


def downgrade() -> None:
    narrow_to_32_bits(PENCE)
