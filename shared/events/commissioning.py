from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.events.base import Event
from shared.events.money_fields import MoneyTotals


class MilestoneCompletedV1(Event, MoneyTotals):
    """The LA signed a contract milestone off: its payment value is now due from the LA."""

    subject = "commissioning.milestone.completed.v1"

    contract_id: UUID
    contract_reference: str
    milestone_id: UUID
    title: str
    funding_source: str
    completed_on: date
