"""money in 64 bits: the API takes amounts of up to £100m (MAX_PENCE), past a 32-bit integer

Revision ID: e5c9a2f4b7d1
Revises: d2a0d17e7202
Create Date: 2026-12-05 09:30:00.000000

"""

from collections.abc import Sequence

from shared.migrations import narrow_to_32_bits, widen_to_64_bits

revision: str = "e5c9a2f4b7d1"
down_revision: str | Sequence[str] | None = "d2a0d17e7202"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENCE = {
    "contracts": ("value_pence", "annual_value_pence", "vat_not_recoverable_pence"),
    "variations": ("value_pence",),
    "pending_variations": ("value_pence",),
    "milestones": ("payment_pence",),
    "la_invoices": ("net_pence", "vat_pence"),
    "kpis": ("service_credit_pence",),
    "service_credits": ("net_pence",),
    "deployments": ("day_rate_pence",),
}


def upgrade() -> None:
    widen_to_64_bits(PENCE)


def downgrade() -> None:
    narrow_to_32_bits(PENCE)
