"""An order awaiting its school's approver: the approver is asked once, and not at all once the
order was approved or cancelled (declined, or lapsed unanswered), nor past its last day to answer
(its lapse follows: orders cancels it the day after)."""

from __future__ import annotations

from datetime import date
from uuid import UUID


def approval_key(order_id: UUID) -> str:
    """The occasion of the approver's message about an order."""
    return f"approval-requested:{order_id}"


def too_late_to_answer(approve_by: date, today: date) -> bool:
    return today > approve_by
