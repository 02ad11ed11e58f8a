"""A school's approval rule: its approver (the headteacher or a budget holder) approves every
order above its spending limit, or every order if the school chooses. Until then nothing is
charged, invoiced or booked beyond a held place; an approval not given in time lapses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.events.orders import ApprovalReason


@dataclass(frozen=True)
class ApprovalPolicy:
    spending_limit_pence: int | None = None  # None: no limit
    every_order: bool = False
    approval_days: int = 5  # an order not approved within these lapses, its place released

    def needs_approval(self, gross_pence: int) -> bool:
        return self.reason(gross_pence) is not None

    def reason(self, gross_pence: int) -> ApprovalReason | None:
        """Why an order of this amount waits for the approver; None if it does not."""
        if self.every_order:
            return ApprovalReason.EVERY_ORDER
        if self.spending_limit_pence is not None and gross_pence > self.spending_limit_pence:
            return ApprovalReason.SPENDING_LIMIT
        return None

    def approve_by(self, placed_on: date) -> date:
        """The last day the approver may approve; the order lapses after it."""
        return placed_on + timedelta(days=self.approval_days)
