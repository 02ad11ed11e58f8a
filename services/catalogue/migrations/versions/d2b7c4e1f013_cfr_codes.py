"""cfr codes: each service carries the CFR code a maintained school books it against

Revision ID: d2b7c4e1f013
Revises: d2b7e0a1f913
Create Date: 2026-12-03 20:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d2b7c4e1f013"
down_revision: str | Sequence[str] | None = "d2b7e0a1f913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# services already on sale take the usual code for their kind (services/catalogue/domain/cfr.py)
USUAL = """
    CASE
        WHEN service_type = 'course' THEN 'E09'
        WHEN lower(category) IN ('school improvement', 'data and assessment', 'early years', 'send')
            THEN 'E27'
        WHEN lower(category) = 'cpd and leadership' THEN 'E09'
        WHEN lower(category) = 'it' THEN 'E20'
        ELSE 'E28a'
    END
"""


def upgrade() -> None:
    op.add_column("services", sa.Column("cfr_code", sa.String(length=4), nullable=True))
    op.execute(f"UPDATE services SET cfr_code = {USUAL}")


def downgrade() -> None:
    op.drop_column("services", "cfr_code")
