"""An order awaiting its school's approver: the approver is asked once, and not at all once the
order was approved or cancelled (declined, or lapsed unanswered)."""

from __future__ import annotations

from uuid import UUID


def approval_key(order_id: UUID) -> str:
    """The occasion of the approver's message about an order."""
    return f"approval-requested:{order_id}"
