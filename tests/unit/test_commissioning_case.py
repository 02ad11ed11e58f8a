"""A case for a school causing concern moves forward through its stages, each with what it
needs; visits are noted."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.commissioning.domain.case import Case, Stage, StageEntry
from shared.errors import Conflict, Invalid

OPENED = date(2026, 9, 10)
TODAY = date(2026, 12, 6)


def case() -> Case:
    return Case.open(
        contract_id=uuid4(), urn=117083, opened_on=OPENED, summary="Falling results", today=TODAY
    )


def test_a_case_opens_at_concern_and_moves_forward_skipping_stages_if_need_be() -> None:
    opened = case()
    assert opened.stage is Stage.CONCERN
    opened.move_to(StageEntry(Stage.MONITORING, date(2026, 10, 1)), today=TODAY)
    with pytest.raises(Invalid) as refused:
        opened.move_to(StageEntry(Stage.ACTION_PLAN_RECEIVED, date(2026, 10, 2)), today=TODAY)
    assert refused.value.field == "stage"
    assert [entry.stage for entry in opened.stages] == [Stage.CONCERN, Stage.MONITORING]


def test_a_warning_notice_needs_grounds_required_action_and_a_compliance_period() -> None:
    opened = case()
    given = date(2026, 9, 20)
    for entry, field in (
        (StageEntry(Stage.WARNING_NOTICE, given, "", "Act", date(2026, 10, 5)), "grounds"),
        (StageEntry(Stage.WARNING_NOTICE, given, "Why", "", date(2026, 10, 5)), "required_action"),
        (StageEntry(Stage.WARNING_NOTICE, given, "Why", "Act", given), "compliance_by"),
    ):
        with pytest.raises(Invalid) as refused:
            opened.move_to(entry, today=TODAY)
        assert refused.value.field == field
    opened.move_to(
        StageEntry(Stage.WARNING_NOTICE, given, "Why", "Act", date(2026, 10, 5)), today=TODAY
    )
    assert opened.stage is Stage.WARNING_NOTICE


def test_a_case_closes_with_an_outcome_and_then_stays_closed() -> None:
    opened = case()
    with pytest.raises(Invalid) as refused:
        opened.move_to(StageEntry(Stage.CLOSED, date(2026, 12, 1)), today=TODAY)
    assert refused.value.field == "outcome"
    opened.move_to(StageEntry(Stage.CLOSED, date(2026, 12, 1), outcome="Judged good"), today=TODAY)
    assert not opened.is_open
    with pytest.raises(Conflict):
        opened.move_to(StageEntry(Stage.CLOSED, date(2026, 12, 2), outcome="Again"), today=TODAY)


def test_a_stage_cannot_begin_before_the_one_before_it() -> None:
    with pytest.raises(Invalid) as refused:
        case().move_to(StageEntry(Stage.MONITORING, date(2026, 9, 1)), today=TODAY)
    assert refused.value.field == "entered_on"


def test_a_visit_is_noted_on_or_after_the_case_opened() -> None:
    opened = case()
    with pytest.raises(Invalid) as refused:
        opened.note_visit(visited_on=date(2026, 9, 1), author="adviser", note="Early", today=TODAY)
    assert refused.value.field == "visited_on"
    visit = opened.note_visit(visited_on=OPENED, author="adviser", note="Met the head", today=TODAY)
    assert opened.visits == [visit]


def test_a_case_its_stages_and_its_visits_are_refused_dated_after_today() -> None:
    tomorrow = date(2026, 12, 7)
    with pytest.raises(Invalid) as refused:
        Case.open(contract_id=uuid4(), urn=117083, opened_on=tomorrow, summary="x", today=TODAY)
    assert refused.value.field == "opened_on"
    opened = case()
    with pytest.raises(Invalid) as refused:
        opened.move_to(StageEntry(Stage.MONITORING, date(2062, 10, 1)), today=TODAY)
    assert (refused.value.field, opened.stage) == ("entered_on", Stage.CONCERN)
    with pytest.raises(Invalid) as refused:
        opened.note_visit(visited_on=tomorrow, author="adviser", note="Not yet", today=TODAY)
    assert (refused.value.field, opened.visits) == ("visited_on", [])
    opened.move_to(StageEntry(Stage.MONITORING, TODAY), today=TODAY)  # today is not the future
    opened.note_visit(visited_on=TODAY, author="adviser", note="Met the head", today=TODAY)
