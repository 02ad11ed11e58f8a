"""A programme's impact, measure by measure, with its cost and what the impact cost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.evaluation.application.programmes import load, participants, readiness
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.analysis import Cohorts, MeasureAnalysis, analyse
from services.evaluation.domain.cost import ValueForMoney, programme_cost_pence, value_for_money
from services.evaluation.domain.measure import Measure
from services.evaluation.domain.programme import Participant, Programme
from services.evaluation.domain.readiness import Readiness


@dataclass(frozen=True)
class MeasureReport:
    measure: Measure
    analysis: MeasureAnalysis
    value: ValueForMoney


@dataclass(frozen=True)
class ProgrammeReport:
    programme: Programme
    participants: list[Participant]
    cohorts: Cohorts
    cost_pence: int
    pupils_reached: int
    measures: list[MeasureReport]
    readiness: Readiness


async def analyse_programme(
    uow: EvaluationUnitOfWork, programme_id: UUID, *, today: date
) -> ProgrammeReport:
    """Every figure of the report, its readiness included, from one list of participants."""
    programme = await load(uow, programme_id)
    taking_part = await participants(uow, programme)
    cohorts = Cohorts.of(programme, (p.urn for p in taking_part))
    supported = await uow.deployments.supported(programme.case_ids)
    postings = await uow.costs.linked(
        service_ids=programme.service_ids, contract_ids={c for c, _, _ in supported}
    )
    cost = programme_cost_pence(
        postings,
        service_ids=programme.service_ids,
        case_ids=programme.case_ids,
        supported={(c, u) for c, u, _ in supported},
        participants=set(cohorts.participants),
        runs_on=programme.runs_on,
    )
    registered = await uow.schools.find(cohorts.participants)
    pupils = sum(s.pupils or 0 for s in registered)
    reports = []
    for measure in await uow.measures.of(programme.id):
        analysis = analyse(await uow.measures.results(measure.id), cohorts)
        effect = analysis.effect.hedges_g if analysis.effect else None
        reports.append(
            MeasureReport(
                measure,
                analysis,
                value_for_money(cost_pence=cost, pupils=pupils, effect_size=effect),
            )
        )
    ready = await readiness(uow, programme, taking_part=taking_part, today=today)
    return ProgrammeReport(programme, taking_part, cohorts, cost, pupils, reports, ready)
