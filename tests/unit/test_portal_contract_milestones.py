"""The LA officer's contract page: which milestones are overdue as of a day, and how much of
the contract's value no milestone schedules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.portal.domain.contract_milestones import overdue, unscheduled_pence

WALK_THROUGH_DAY = date(2026, 12, 6)


@dataclass(frozen=True)
class Milestone:
    title: str
    due_on: date
    completed_on: date | None = None


Q1 = Milestone("Q1 monitoring report", date(2026, 6, 30))
Q2 = Milestone("Q2 monitoring report", date(2026, 9, 30))
Q3 = Milestone("Q3 monitoring report", date(2026, 12, 31))


def test_milestones_past_their_due_day_and_not_signed_off_are_overdue() -> None:
    assert overdue([Q1, Q2, Q3], WALK_THROUGH_DAY) == [Q1, Q2]


def test_a_milestone_signed_off_is_not_overdue_however_late_it_was_signed() -> None:
    signed_late = Milestone("Q1 monitoring report", date(2026, 6, 30), date(2026, 8, 1))
    assert overdue([signed_late, Q2], WALK_THROUGH_DAY) == [Q2]


def test_a_milestone_is_overdue_from_the_day_after_it_falls_due() -> None:
    assert overdue([Q3], date(2026, 12, 31)) == []
    assert overdue([Q3], date(2027, 1, 1)) == [Q3]


def test_no_milestone_is_overdue_before_any_falls_due() -> None:
    assert overdue([Q1, Q2, Q3], date(2026, 4, 1)) == []
    assert overdue([], WALK_THROUGH_DAY) == []


def test_the_value_not_scheduled_is_what_the_milestones_leave_of_it() -> None:
    assert unscheduled_pence(125_000_000, 90_000_000) == 35_000_000
    assert unscheduled_pence(125_000_000, 125_000_000) == 0


def test_milestones_beyond_the_value_leave_a_negative_amount_unscheduled() -> None:
    assert unscheduled_pence(1_000_000, 1_200_000) == -200_000
