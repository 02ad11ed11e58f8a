"""Evaluation's other pure rules: matching, CSV rows, analysis paths, costs, ratings, maturity."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.evaluation.domain.analysis import NOT_COMPUTABLE, Cohorts, analyse
from services.evaluation.domain.cost import CostPosting, programme_cost_pence, value_for_money
from services.evaluation.domain.matching import RegisteredSchool, match_by_phase_and_size
from services.evaluation.domain.maturity import (
    CRITERIA,
    DIMENSIONS,
    DRIVERS,
    Assessment,
    Judgement,
    Perspective,
    Step,
    trends,
)
from services.evaluation.domain.measure import (
    Group,
    GroupResult,
    Measure,
    Results,
    SchoolResult,
    Stage,
)
from services.evaluation.domain.months_progress import Spread
from services.evaluation.domain.padlocks import Design
from services.evaluation.domain.programme import Link, LinkKind, Programme
from services.evaluation.domain.rating import Average, Invitation, falls_below, rate
from services.evaluation.domain.readiness import Baselines, impact_readiness
from services.evaluation.domain.results_csv import BadRows, read_results
from shared.clock import Clock
from shared.errors import Conflict, Invalid, NotFound
from tests.support.evaluation_results import by_school


def school(urn: int, pupils: int | None, phase: str = "Primary") -> RegisteredSchool:
    return RegisteredSchool(urn, f"School {urn}", phase, pupils)


def test_each_participant_gets_the_nearest_sized_school_of_its_phase_once() -> None:
    participants = [school(1, 400), school(2, 410)]
    register = [
        *participants,
        school(10, 405),
        school(11, 300),
        school(12, 420, "Secondary"),
        school(13, None),
    ]
    matches = match_by_phase_and_size(participants, register, per_participant=1)
    assert {(m.participant, m.comparison) for m in matches} == {(2, 10), (1, 11)}


def test_matching_refuses_to_choose_no_comparison_school() -> None:
    with pytest.raises(Invalid):
        match_by_phase_and_size([school(1, 400)], [school(2, 400)], per_participant=0)


def test_a_participant_cannot_also_be_its_own_comparison() -> None:
    programme = Programme.create(
        title="Maths CPD",
        description="",
        starts_on=date(2025, 9, 1),
        links=(Link(LinkKind.SERVICE, uuid4()),),
        today=date(2025, 7, 1),
    )
    with pytest.raises(Invalid):
        programme.choose_comparison((117083,), participants={117083}, matched=False)
    programme.choose_comparison((117084,), participants={117083}, matched=False)
    assert programme.design is Design.UNMATCHED


def test_a_csv_may_mix_school_values_and_group_summaries() -> None:
    results = read_results(
        "urn,group,stage,value,pupils,mean,sd,n\n"
        "117083,,baseline,101.5,30,,,\n"
        ",comparison,baseline,,,100.2,6.5,140\n"
    )
    assert results.schools == (SchoolResult(117083, Stage.BASELINE, 101.5, 30),)
    assert results.groups == (GroupResult(Group.COMPARISON, Stage.BASELINE, 100.2, 6.5, 140),)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("urn,stage,value\n117083,baseline,1\n,baseline,2\n117084,outcome,-\n", [3, 4]),
        ("group,stage,mean,sd,n\nparticipant,baseline,1,-2,30\nboth,outcome,1,1,1\n", [2, 3]),
        ("name,score\nx,1\n", [1]),
    ],
)
def test_every_bad_row_is_reported_by_its_line(text: str, lines: list[int]) -> None:
    with pytest.raises(BadRows) as refused:
        read_results(text)
    assert [problem.line for problem in refused.value.problems] == lines


def summaries(*rows: tuple[Group, Stage, float, float, int]) -> Results:
    return Results(groups=tuple(GroupResult(*row) for row in rows))


def test_group_summaries_give_gains_effect_and_attrition_from_their_counts() -> None:
    results = summaries(
        (Group.PARTICIPANT, Stage.BASELINE, 100, 10, 100),
        (Group.PARTICIPANT, Stage.OUTCOME, 108, 10, 80),
        (Group.COMPARISON, Stage.BASELINE, 100, 10, 100),
        (Group.COMPARISON, Stage.OUTCOME, 104, 10, 80),
    )
    analysis = analyse(results, Cohorts(frozenset({1}), frozenset({2}), Design.MATCHED))
    changes = {c.group: c.change for c in analysis.changes}
    assert changes == {Group.PARTICIPANT: 8, Group.COMPARISON: 4}
    assert analysis.effect is not None and analysis.effect.cohens_d == pytest.approx(0.4)
    assert analysis.effect.hedges_g == pytest.approx(0.4 * (1 - 3 / 631))
    assert analysis.spread is Spread.PUPILS  # a reported summary's SD is pupils'
    assert analysis.months == 5  # g 0.398 lies in the EEF band 0.36-0.44
    assert any(
        lost.criterion == "attrition" and "20%" in lost.reason for lost in analysis.security.lost
    )


def test_without_a_baseline_there_is_no_effect_size_and_the_reason_is_given() -> None:
    results = summaries(
        (Group.PARTICIPANT, Stage.OUTCOME, 108, 10, 80),
        (Group.COMPARISON, Stage.OUTCOME, 104, 10, 80),
    )
    analysis = analyse(results, Cohorts(frozenset({1}), frozenset({2}), Design.MATCHED))
    assert analysis.effect is None and analysis.months is None
    assert "baseline" in analysis.notes[0]
    assert all(change.change is None for change in analysis.changes)


@pytest.mark.parametrize("sd", [0.0, 1e-160])
def test_a_standard_deviation_too_small_to_divide_by_is_refused_naming_it(sd: float) -> None:
    with pytest.raises(Invalid, match=r"at least 0\.000000001") as refused:
        GroupResult.reported(group=Group.PARTICIPANT, stage=Stage.BASELINE, mean=100, sd=sd, n=30)
    assert refused.value.field == "sd"
    with pytest.raises(BadRows) as bad_row:
        read_results(f"group,stage,mean,sd,n\nparticipant,baseline,100,{sd},30\n")
    assert [problem.line for problem in bad_row.value.problems] == [2]


@pytest.mark.parametrize("sd", [1e-160, 1e-30])
def test_a_stored_spread_too_small_to_divide_by_leaves_only_that_effect_uncomputed(
    sd: float,
) -> None:
    # Kept before a standard deviation had a least value: d² overflows (1e-160), or g is too
    # large to convert into months (1e-30).
    results = summaries(
        (Group.PARTICIPANT, Stage.BASELINE, 100, sd, 100),
        (Group.PARTICIPANT, Stage.OUTCOME, 108, sd, 80),
        (Group.COMPARISON, Stage.BASELINE, 100.5, sd, 100),
        (Group.COMPARISON, Stage.OUTCOME, 104, sd, 80),
    )
    analysis = analyse(results, Cohorts(frozenset({1}), frozenset({2}), Design.MATCHED))
    assert analysis.effect is None and analysis.spread is None and analysis.months is None
    assert analysis.notes == (NOT_COMPUTABLE,)
    changes = {c.group: c.change for c in analysis.changes}
    assert changes == {Group.PARTICIPANT: 8, Group.COMPARISON: 3.5}


def test_schools_outside_both_groups_are_left_out_of_the_analysis() -> None:
    results = Results(schools=by_school((117083, 100, 104), (117099, 50, 90)))
    cohorts = Cohorts(frozenset({117083}), frozenset({117084}), Design.UNMATCHED)
    analysis = analyse(results, cohorts)
    assert analysis.effect is None
    assert analysis.security.padlocks == 0


def school_results(*rows: tuple[int, float, float]) -> Results:
    return Results(schools=by_school(*rows, pupils=30))


def test_padlocks_for_size_count_the_schools_with_data_not_every_school_in_the_groups() -> None:
    taking_part = [100000 + i for i in range(80)]
    compared = [200000 + i for i in range(80)]
    results = school_results(
        (taking_part[0], 100, 106),
        (taking_part[1], 102, 107),
        (compared[0], 100, 103),
        (compared[1], 102, 104),
    )

    analysis = analyse(
        results, Cohorts(frozenset(taking_part), frozenset(compared), Design.RANDOMISED)
    )

    assert analysis.security.mdes == pytest.approx(1.182, abs=1e-3)
    assert analysis.security.padlocks == 0
    size = next(lost for lost in analysis.security.lost if lost.criterion == "size")
    assert size.reason.startswith("4 schools, 120 pupils")


def test_pupils_are_counted_only_in_the_schools_of_either_group() -> None:
    results = school_results(
        (117083, 100, 104), (117085, 101, 104), (117084, 100, 103), (117086, 99, 101),
        (117099, 50, 90),
    )  # fmt: skip
    cohorts = Cohorts(frozenset({117083, 117085}), frozenset({117084, 117086}), Design.UNMATCHED)
    assert analyse(results, cohorts).pupils == 4 * 30  # 117099 is in neither group


def test_an_effect_over_the_spread_between_schools_is_not_converted_into_months() -> None:
    results = school_results(
        (117083, 100.0, 104.0), (117084, 101.0, 105.2), (117089, 102.0, 106.1),
        (117099, 100.5, 102.0), (117105, 101.5, 103.0), (117109, 102.5, 104.1),
    )  # fmt: skip
    cohorts = Cohorts(
        frozenset({117083, 117084, 117089}), frozenset({117099, 117105, 117109}), Design.MATCHED
    )

    analysis = analyse(results, cohorts)

    assert analysis.effect is not None and analysis.effect.hedges_g > 1
    assert analysis.spread is Spread.SCHOOLS and analysis.months is None


def test_a_second_measure_of_the_same_name_in_a_programme_is_refused_naming_the_name() -> None:
    programme_id = uuid4()
    first = Measure.declare(programme_id=programme_id, name="KS2 reading", unit="", existing=[])
    with pytest.raises(Conflict) as refused:
        Measure.declare(
            programme_id=programme_id, name=" ks2 Reading ", unit="score", existing=[first]
        )
    assert refused.value.field == "name"
    other = Measure.declare(programme_id=programme_id, name="KS2 maths", unit="", existing=[first])
    assert other.name == "KS2 maths"


def test_cost_counts_linked_income_and_provider_cost_for_supported_schools_only() -> None:
    service, contract, other = uuid4(), uuid4(), uuid4()
    postings = [
        CostPosting("traded:income:cpd", -59_500, 117083, service, None),
        CostPosting("shared:receivables:schools", 59_500, 117083, service, None),
        CostPosting("traded:income:cpd", -10_000, 117083, other, None),
        CostPosting("statutory:cost:brokered-support", 130_000, 117088, None, contract),
        CostPosting("statutory:cost:brokered-support", 90_000, 117099, None, contract),
    ]
    total = programme_cost_pence(
        postings,
        service_ids={service},
        case_ids=set(),
        supported={(contract, 117088)},
        participants={117083, 117088},
    )
    assert total == 59_500 + 130_000


def test_impact_per_thousand_pounds_per_pupil_divides_g_by_cost_in_thousands() -> None:
    value = value_for_money(cost_pence=2_000_000, pupils=100, effect_size=0.3)
    assert value.cost_per_pupil_pence == 20_000  # £200 a pupil
    assert value.impact_per_1000_pounds_per_pupil == pytest.approx(1.5)
    assert value_for_money(cost_pence=0, pupils=100, effect_size=0.3).cost_per_pupil_pence is None


def invitation(urn: int = 117083) -> Invitation:
    return Invitation(
        uuid4(), urn, "order", uuid4(), "Maths CPD", uuid4(), uuid4(), Clock().today()
    )


def test_a_delivery_is_rated_once_by_its_own_school_from_one_to_five() -> None:
    delivered = invitation()
    with pytest.raises(NotFound):
        rate(delivered, urn=117084, score=4, comment="", on=Clock().today())
    with pytest.raises(Invalid):
        rate(delivered, urn=117083, score=0, comment="", on=Clock().today())
    rating = rate(delivered, urn=117083, score=4, comment=" clear ", on=Clock().today())
    assert (rating.score, rating.comment, rating.service_id) == (4, "clear", delivered.service_id)
    with pytest.raises(Conflict):
        rate(delivered, urn=117083, score=5, comment="", on=Clock().today())


@pytest.mark.parametrize(
    ("before", "after", "flag"),
    [
        (Average(3.5, 2), Average(2.67, 3), True),  # enough ratings now, and below
        (Average(2.5, 3), Average(2.25, 4), False),  # already below: flagged before
        (Average(3.0, 3), Average(3.0, 4), False),  # at the threshold is not below
        (Average(None, 0), Average(1.0, 1), False),  # too few ratings to judge
    ],
)
def test_a_provider_is_flagged_when_its_average_crosses_below_the_threshold(
    before: Average, after: Average, flag: bool
) -> None:
    assert falls_below(before, after, threshold=3.0, minimum=3) is flag


def assessment(on: date, perspective: Perspective, step: Step) -> Assessment:
    return Assessment.record(
        network_id=uuid4(),
        perspective=perspective,
        assessor="heads",
        assessed_on=on,
        judgements=[Judgement(d, step, "") for d in DIMENSIONS],
        today=on,
    )


def test_maturity_covers_the_six_drivers_and_hargreaves_four_criteria() -> None:
    assert len(DRIVERS) == 6 and len(CRITERIA) == 4 and len(DIMENSIONS) == 10
    with pytest.raises(Invalid):
        Assessment.record(
            network_id=uuid4(),
            perspective=Perspective.SELF,
            assessor="heads",
            assessed_on=Clock().today(),
            judgements=[Judgement(d, Step.LEADING, "") for d in DIMENSIONS[:-1]],
            today=Clock().today(),
        )


def test_the_trend_compares_like_with_like_self_with_self() -> None:
    found = trends(
        [
            assessment(date(2025, 7, 1), Perspective.SELF, Step.BEGINNING),
            assessment(date(2025, 12, 1), Perspective.PEER, Step.EMBEDDING),
            assessment(date(2026, 7, 1), Perspective.SELF, Step.DEVELOPING),
        ]
    )
    assert len(found) == 10
    assert [point[2] for point in found[0].points] == [1, 3, 2]
    assert found[0].change == 1


def test_one_assessment_stands_for_a_date_and_perspective_in_the_steps_and_the_change() -> None:
    """Two self-assessments of 1 December, kept by a database from before a second replaced the
    first: the later of them stands, alone, for that day in the steps and in the change. From
    beginning (1) on 1 July to leading (4): +3; the steps show 1 and 4, not a 2 beside them."""
    found = trends(
        [
            assessment(date(2025, 7, 1), Perspective.SELF, Step.BEGINNING),
            assessment(date(2025, 12, 1), Perspective.SELF, Step.DEVELOPING),
            assessment(date(2025, 12, 1), Perspective.SELF, Step.LEADING),
        ]
    )
    assert [point[2] for point in found[0].points] == [1, 4]
    assert found[0].change == 3


def test_two_results_for_one_school_or_group_at_one_stage_are_refused() -> None:
    baseline = SchoolResult(117083, Stage.BASELINE, 100)
    with pytest.raises(Invalid, match="two results for school 117083 at baseline"):
        Results(schools=(baseline, SchoolResult(117083, Stage.BASELINE, 101)))
    group = GroupResult(Group.COMPARISON, Stage.OUTCOME, 100.0, 5.0, 30)
    with pytest.raises(Invalid, match="the comparison group at outcome"):
        Results(groups=(group, group))


def test_results_out_of_bounds_are_refused() -> None:
    with pytest.raises(Invalid, match="six digits"):
        SchoolResult(2**63, Stage.BASELINE, 100)
    with pytest.raises(Invalid, match="pupils"):
        SchoolResult(117083, Stage.BASELINE, 100, 2**63)
    with pytest.raises(Invalid, match="human size"):
        GroupResult(Group.PARTICIPANT, Stage.BASELINE, 1e300, 1.0, 30)


def test_a_first_peer_review_after_a_self_assessment_is_not_a_change_of_zero() -> None:
    found = trends(
        [
            assessment(date(2025, 7, 10), Perspective.SELF, Step.BEGINNING),
            assessment(date(2026, 7, 9), Perspective.PEER, Step.DEVELOPING),
        ]
    )
    assert [point[2] for point in found[0].points] == [1, 2]
    assert found[0].change is None  # never compared, so no "+0 steps"


def test_reported_results_give_no_effect_size_while_no_school_takes_part() -> None:
    results = summaries(
        (Group.PARTICIPANT, Stage.BASELINE, 103.1, 6.4, 118),
        (Group.PARTICIPANT, Stage.OUTCOME, 106.0, 6.1, 112),
        (Group.COMPARISON, Stage.BASELINE, 103.4, 6.6, 121),
        (Group.COMPARISON, Stage.OUTCOME, 104.9, 6.5, 117),
    )
    nobody = analyse(results, Cohorts(frozenset(), frozenset({2, 3}), Design.UNMATCHED))
    assert nobody.effect is None and nobody.months is None
    assert "no school takes part" in nobody.notes[0]
    assert nobody.security.padlocks == 0
    taking_part = analyse(results, Cohorts(frozenset({1}), frozenset({2, 3}), Design.UNMATCHED))
    assert taking_part.effect is not None and taking_part.months is not None


def test_a_programme_no_school_takes_part_in_cannot_show_impact() -> None:
    measure = Measure(id=uuid4(), programme_id=uuid4(), name="KS2 reading", unit="")
    both = Baselines(groups=frozenset(Group))
    ready = {
        len(schools): impact_readiness(
            starts_on=date(2025, 9, 1),
            today=date(2025, 8, 1),
            cohorts=Cohorts(schools, frozenset({117084}), Design.MATCHED),
            measures=[measure],
            baselines={str(measure.id): both},
        )
        for schools in (frozenset[int](), frozenset({117083}))
    }
    assert not ready[0].can_show_impact and "no school takes part" in ready[0].reasons[0]
    assert ready[1].can_show_impact and ready[1].reasons == ()
