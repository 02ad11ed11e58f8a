"""order status and payment status apart

Revision ID: 5d2a9c1e7b40
Revises: 08436bb73296
Create Date: 2026-12-03 17:10:00

One status held both what happened to an order and to its money. Each order keeps the first
(placed, fulfilled, cancelled) in `status` and gains `payment_status`, both read off what the
row and its invoice already record.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '5d2a9c1e7b40'
down_revision: Union[str, Sequence[str], None] = '08436bb73296'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ORDER_STATUS = """
    CASE WHEN cancelled_on IS NOT NULL THEN 'cancelled'
         WHEN fulfilled_on IS NOT NULL THEN 'fulfilled'
         ELSE 'placed' END
"""
# What an invoice's sums say once the order's own status no longer does.
INVOICE_PAID = "(SELECT i.paid_pence FROM invoices i WHERE i.order_id = orders.id)"
INVOICE_OWED = (
    "(SELECT i.net_pence + i.vat_pence - i.paid_pence - i.credited_pence"
    " FROM invoices i WHERE i.order_id = orders.id)"
)
PAYMENT_STATUS = f"""
    CASE WHEN status IN ('partly_refunded', 'refunded') THEN status
         WHEN status = 'placed' THEN 'not_asked'
         WHEN status = 'awaiting_payment' THEN 'awaiting_payment'
         WHEN status IN ('paid', 'fulfilled') THEN 'paid'
         WHEN payment_method = 'card' AND paid_pence > 0 THEN 'paid'
         WHEN payment_method = 'card' THEN 'void'
         WHEN {INVOICE_OWED} > 0 AND {INVOICE_PAID} > 0 THEN 'partly_paid'
         WHEN {INVOICE_OWED} > 0 THEN 'invoiced'
         WHEN {INVOICE_PAID} > 0 THEN 'paid'
         ELSE 'credited' END
"""
OLD_STATUS = """
    CASE WHEN payment_status IN ('partly_refunded', 'refunded') THEN payment_status
         WHEN status = 'cancelled' THEN 'cancelled'
         WHEN status = 'fulfilled' THEN 'fulfilled'
         WHEN payment_status = 'not_asked' THEN 'placed'
         WHEN payment_status = 'partly_paid' THEN 'invoiced'
         ELSE payment_status END
"""


# Plain ALTER TABLE both ways: SQLite's copy-and-move would drop a table others refer to.
def upgrade() -> None:
    op.add_column(
        'orders',
        sa.Column(
            'payment_status', sa.String(length=20), nullable=False, server_default='not_asked'
        ),
    )
    op.execute(f"UPDATE orders SET payment_status = {PAYMENT_STATUS}")
    op.execute(f"UPDATE orders SET status = {ORDER_STATUS}")


def downgrade() -> None:
    op.execute(f"UPDATE orders SET status = {OLD_STATUS}")
    op.execute("ALTER TABLE orders DROP COLUMN payment_status")
