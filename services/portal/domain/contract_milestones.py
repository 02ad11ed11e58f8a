"""What the LA officer reads off a contract at a glance: which milestones are past their due
day and not yet signed off, from when they can be signed off, and how much of the contract's
value no milestone schedules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


class DueMilestone(Protocol):
    @property
    def due_on(self) -> date: ...

    @property
    def completed_on(self) -> date | None: ...


M = TypeVar("M", bound=DueMilestone)


def overdue(milestones: Iterable[M], today: date) -> list[M]:
    """The milestones not signed off whose due day is before today (one due today is not late
    until tomorrow)."""
    return [m for m in milestones if m.completed_on is None and m.due_on < today]


def signed_off_from(start_on: date, today: date) -> date | None:
    """The day a contract's milestones can first be signed off, and its KPIs' actuals reported,
    while it is still to come (commissioning refuses both before the contract starts); None
    once they can be."""
    return start_on if today < start_on else None


def unscheduled_pence(value_pence: int, scheduled_pence: int) -> int:
    """How much of the value no milestone schedules; below zero if the milestones exceed it."""
    return value_pence - scheduled_pence
