"""A programme that cannot show impact: due to start within 14 days with no baseline recorded,
the evaluator is told while there is still time to collect one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from shared.calendar import long_date

WARNING_DAYS = 14


@dataclass(frozen=True)
class ProgrammeWithoutBaseline:
    programme_id: UUID
    title: str
    starts_on: date


def baseline_due_soon(programme: ProgrammeWithoutBaseline, today: date) -> bool:
    """From 14 days before it starts until the day it starts."""
    return programme.starts_on - timedelta(days=WARNING_DAYS) <= today <= programme.starts_on


def baseline_alert_key(programme: ProgrammeWithoutBaseline) -> str:
    """The occasion of the evaluator's alert that the programme has no baseline."""
    return f"baseline-missing:{programme.programme_id}:{programme.starts_on}"


def baseline_alert_text(programme: ProgrammeWithoutBaseline, today: date) -> tuple[str, str]:
    """Said by the day it is sent: first sent on the day it starts (the programme was created
    late, or the worker was down), "before it starts" is already too late."""
    starts = long_date(programme.starts_on)
    if today < programme.starts_on:
        when, act = f"starts on {starts}", f"Record the baseline before it starts on {starts}."
    else:
        when, act = f"starts today, {starts},", "It starts today: record the baseline today."
    subject = f"{programme.title} {when} with no baseline"
    body = (
        f"The programme {programme.title} {when} and no baseline results are recorded for any "
        f"of its measures: without one it cannot show its impact. {act}"
    )
    return subject, body
