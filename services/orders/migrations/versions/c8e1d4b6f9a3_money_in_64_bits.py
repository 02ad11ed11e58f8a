"""money in 64 bits: the API takes amounts of up to £100m (MAX_PENCE), past a 32-bit integer

Revision ID: c8e1d4b6f9a3
Revises: b7f2a8c4d018
Create Date: 2026-12-05 09:30:00.000000

"""

from collections.abc import Sequence

from shared.migrations import narrow_to_32_bits, widen_to_64_bits

revision: str = "c8e1d4b6f9a3"
down_revision: str | Sequence[str] | None = "b7f2a8c4d018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENCE = {
    "listings": ("unit_price_pence",),
    "order_lines": ("unit_price_pence",),
    "basket_lines": ("unit_price_pence",),
    "orders": ("paid_pence", "refunded_pence"),
    "invoices": ("net_pence", "vat_pence", "paid_pence", "credited_pence"),
    "remittances": ("amount_pence",),
    "refunds": ("net_pence", "vat_pence"),
}


def upgrade() -> None:
    widen_to_64_bits(PENCE)


def downgrade() -> None:
    narrow_to_32_bits(PENCE)
