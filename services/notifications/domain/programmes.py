"""A programme that cannot show impact: due to start within 14 days with no baseline recorded,
the evaluator is told while there is still time to collect one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

WARNING_DAYS = 14


@dataclass(frozen=True)
class ProgrammeWithoutBaseline:
    programme_id: UUID
    title: str
    starts_on: date


def baseline_due_soon(programme: ProgrammeWithoutBaseline, today: date) -> bool:
    """From 14 days before it starts until the day it starts."""
    return programme.starts_on - timedelta(days=WARNING_DAYS) <= today <= programme.starts_on
