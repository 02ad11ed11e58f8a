"""messages contacts reminders

Revision ID: 0a1b2c3d4e5f
Revises: 
Create Date: 2026-12-03 19:50:35.325173

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from shared.migrations import (
    add_delivery_alarms,
    create_messaging_tables,
    drop_delivery_alarms,
    drop_messaging_tables,
)


# revision identifiers, used by Alembic.
revision: str = '0a1b2c3d4e5f'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('media_type', sa.String(length=60), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_message_id'), ['message_id'], unique=False)

    op.create_table('contacts',
    sa.Column('urn', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('contact', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.PrimaryKeyConstraint('urn', 'contact')
    )
    op.create_table('messages',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('recipient', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('cause_event_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=500), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key', 'recipient', name='uq_messages_key_recipient')
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_recipient'), ['recipient'], unique=False)

    op.create_table('open_invoices',
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('urn', sa.Integer(), nullable=False),
    sa.Column('school_name', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('outstanding_pence', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('invoice_id')
    )
    op.create_table('open_offers',
    sa.Column('line_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('urn', sa.Integer(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('line_id')
    )
    with op.batch_alter_table('open_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open_offers_order_id'), ['order_id'], unique=False)

    op.create_table(
        "open_notices",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("urn", sa.Integer(), nullable=False),
        sa.Column("school_name", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("required_action", sa.Text(), nullable=False),
        sa.Column("compliance_by", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_table(
        "programmes_without_baseline",
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("programme_id"),
    )
    op.create_table(
        "closures",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.create_table(
        "subscription_terms",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("urn", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", "term_start"),
    )
    with op.batch_alter_table("subscription_terms", schema=None) as batch_op:
        batch_op.create_index("ix_subscription_terms_urn", ["urn"], unique=False)
    create_messaging_tables()
    add_delivery_alarms()


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('open_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open_offers_order_id'))

    op.drop_table('open_offers')
    op.drop_table('open_invoices')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_recipient'))
        batch_op.drop_index('ix_messages_due')

    op.drop_table('messages')
    op.drop_table('contacts')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_message_id'))

    op.drop_table('attachments')
    op.drop_table('open_notices')
    op.drop_table('subscription_terms')
    op.drop_table('closures')
    op.drop_table('programmes_without_baseline')
    drop_delivery_alarms()
    drop_messaging_tables()
