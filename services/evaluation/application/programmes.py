"""Programme use cases: create, choose a comparison group, declare measures, record results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.evaluation.application import events_out
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.analysis import Cohorts
from services.evaluation.domain.matching import Match, match_by_phase_and_size
from services.evaluation.domain.measure import Measure, Results
from services.evaluation.domain.programme import Link, Participant, Programme
from services.evaluation.domain.published_results import MEASURE_NAMES
from services.evaluation.domain.readiness import PublishedBaseline, Readiness, impact_readiness
from shared.bus import Command
from shared.errors import Invalid, NotFound


@dataclass(frozen=True)
class CreateProgramme(Command["Programme"]):
    title: str
    description: str
    starts_on: date
    links: tuple[Link, ...]
    randomised: bool = False
    ends_on: date | None = None


@dataclass(frozen=True)
class MatchComparison(Command["list[Match]"]):
    programme_id: UUID
    per_participant: int


@dataclass(frozen=True)
class ChooseComparison(Command["Programme"]):
    programme_id: UUID
    urns: tuple[int, ...]


@dataclass(frozen=True)
class DeclareMeasure(Command["Measure"]):
    programme_id: UUID
    name: str
    unit: str


@dataclass(frozen=True)
class RecordResults(Command["int"]):
    programme_id: UUID
    measure_id: UUID
    results: Results


async def create_programme(
    command: CreateProgramme, *, uow: EvaluationUnitOfWork, today: date
) -> Programme:
    programme = Programme.create(
        title=command.title,
        description=command.description,
        starts_on=command.starts_on,
        links=command.links,
        randomised=command.randomised,
        today=today,
        ends_on=command.ends_on,
    )
    await uow.programmes.add(programme)
    uow.record(events_out.programme_created(programme), summary=programme.title)
    return programme


async def load(
    uow: EvaluationUnitOfWork, programme_id: UUID, *, for_update: bool = False
) -> Programme:
    """The programme; `for_update`, for a command that changes it or what belongs to it: two
    such at once then take turns (a set of measures or schools replaced twice at once met
    itself on the key on PostgreSQL)."""
    programme = await uow.programmes.get(programme_id, for_update=for_update)
    if programme is None:
        raise NotFound("no such programme")
    return programme


async def participants(uow: EvaluationUnitOfWork, programme: Programme) -> list[Participant]:
    """Schools that bought a linked service or were supported under a linked case while the
    programme ran: from its start to its last day, if it has one."""
    found = [
        *await uow.participations.buyers_of(programme.service_ids),
        *await uow.deployments.participants(programme.case_ids),
    ]
    found = [participant for participant in found if programme.runs_on(participant.since)]
    first: dict[int, Participant] = {}
    for participant in sorted(found, key=lambda p: p.since):
        first.setdefault(participant.urn, participant)
    return sorted(first.values(), key=lambda p: p.urn)


async def match_comparison(command: MatchComparison, *, uow: EvaluationUnitOfWork) -> list[Match]:
    programme = await load(uow, command.programme_id, for_update=True)
    taking_part = {p.urn for p in await participants(uow, programme)}
    if not taking_part:
        raise Invalid("no school takes part yet: there is nobody to match")
    register = await uow.schools.find()
    matches = match_by_phase_and_size(
        [s for s in register if s.urn in taking_part],
        register,
        per_participant=command.per_participant,
    )
    if not matches:
        raise Invalid("the schools register has no school of the same phase to match with")
    programme.choose_comparison(
        tuple(m.comparison for m in matches), participants=taking_part, matched=True
    )
    await uow.programmes.save_comparison(programme)
    _audit_comparison(uow, programme)
    return matches


async def choose_comparison(command: ChooseComparison, *, uow: EvaluationUnitOfWork) -> Programme:
    programme = await load(uow, command.programme_id, for_update=True)
    taking_part = {p.urn for p in await participants(uow, programme)}
    await uow.schools.require(command.urns)
    programme.choose_comparison(command.urns, participants=taking_part, matched=False)
    await uow.programmes.save_comparison(programme)
    _audit_comparison(uow, programme)
    return programme


async def declare_measure(command: DeclareMeasure, *, uow: EvaluationUnitOfWork) -> Measure:
    programme_id = command.programme_id
    await load(uow, programme_id, for_update=True)
    measure = Measure.declare(
        programme_id=programme_id,
        name=command.name,
        unit=command.unit,
        existing=await uow.measures.of(programme_id),
    )
    await uow.measures.add(measure)
    uow.audit(
        "measure.declared",
        object_type="measure",
        object_id=measure.id,
        summary=f"{measure.name} ({measure.unit}) for {programme_id}",
    )
    return measure


async def find_measure(uow: EvaluationUnitOfWork, programme_id: UUID, measure_id: UUID) -> Measure:
    for measure in await uow.measures.of(programme_id):
        if measure.id == measure_id:
            return measure
    raise NotFound("no such measure in this programme")


async def record_results(command: RecordResults, *, uow: EvaluationUnitOfWork) -> int:
    """Store every row or none: each school must take part or be in the comparison group."""
    programme_id, measure_id, results = command.programme_id, command.measure_id, command.results
    programme = await load(uow, programme_id, for_update=True)
    await find_measure(uow, programme_id, measure_id)
    cohort = {p.urn for p in await participants(uow, programme)} | set(programme.comparison_urns)
    strangers = sorted({r.urn for r in results.schools} - cohort)
    if strangers:
        raise Invalid(
            f"schools {strangers} neither take part nor are in the comparison group", field="urn"
        )
    await uow.measures.put_results(measure_id, results)
    count = len(results.schools) + len(results.groups)
    uow.audit(
        "measure.results_recorded",
        object_type="measure",
        object_id=measure_id,
        summary=f"{count} results for {programme.title}",
    )
    if results.has_baseline():
        uow.record(events_out.baseline_recorded(programme_id, measure_id))
    return count


async def readiness(
    uow: EvaluationUnitOfWork,
    programme: Programme,
    *,
    taking_part: list[Participant],
    today: date,
) -> Readiness:
    measures = await uow.measures.of(programme.id)
    return impact_readiness(
        starts_on=programme.starts_on,
        today=today,
        cohorts=Cohorts.of(programme, (p.urn for p in taking_part)),
        measures=measures,
        baselines=await uow.measures.baselines([m.id for m in measures]),
        published=await published_baselines(uow, programme),
    )


async def published_baselines(
    uow: EvaluationUnitOfWork, programme: Programme
) -> tuple[PublishedBaseline, ...]:
    """Each tracked published measure with the programme's schools whose baseline year's result
    is held."""
    schools = {p.urn for p in await participants(uow, programme)} | set(programme.comparison_urns)
    found = []
    for tracked in await uow.published.tracked(programme.id):
        held = await uow.published.of(
            measures=[tracked.measure], years=[tracked.baseline_year], urns=schools
        )
        found.append(
            PublishedBaseline(
                MEASURE_NAMES[tracked.measure],
                tracked.baseline_year,
                frozenset(r.urn for r in held if r.usable),
            )
        )
    return tuple(found)


def _audit_comparison(uow: EvaluationUnitOfWork, programme: Programme) -> None:
    uow.audit(
        "programme.comparison_chosen",
        object_type="programme",
        object_id=programme.id,
        summary=f"{len(programme.comparison_urns)} comparison schools",
    )
