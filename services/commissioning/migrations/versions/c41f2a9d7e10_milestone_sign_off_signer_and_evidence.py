"""milestone sign-off: who signed it off, when, and on what evidence

Revision ID: c41f2a9d7e10
Revises: 91283abbd46f
Create Date: 2026-12-03 16:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c41f2a9d7e10'
down_revision: Union[str, Sequence[str], None] = '91283abbd46f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_off_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('evidence', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_column('evidence')
        batch_op.drop_column('signed_off_at')
        batch_op.drop_column('signed_off_by')
