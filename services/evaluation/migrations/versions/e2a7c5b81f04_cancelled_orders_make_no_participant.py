"""cancelled orders make no participant

Revision ID: e2a7c5b81f04
Revises: e7a3c1d95b20
Create Date: 2026-12-03 16:55:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'e2a7c5b81f04'
down_revision: Union[str, Sequence[str], None] = 'e7a3c1d95b20'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('cancelled_orders',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('order_id')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('cancelled_orders')
