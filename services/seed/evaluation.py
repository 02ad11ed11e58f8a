"""Evaluation demo data: the schools register (as `orders.school.registered.v1` would bring it),
a maths CPD programme linked to the catalogue's middle leadership course with a comparison group
of real Hertfordshire primaries and reported baseline and outcome summaries, a cluster's
partnership maturity assessed twice, and the evaluations on published KS2 results
(ks2_evaluation.py). No school takes part in the maths CPD programme until one buys the
course, so its report shows no effect size until then. Seeding twice changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.evaluation.application import maturity, programmes
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.matching import RegisteredSchool
from services.evaluation.domain.maturity import CRITERIA, DRIVERS, Judgement, Perspective, Step
from services.evaluation.domain.measure import Group, GroupResult, Results, Stage
from services.evaluation.domain.programme import Link, LinkKind
from services.orders.adapters.register_csv import read_register
from services.seed.files import SCHOOLS_CSV
from services.seed.ks2_evaluation import seed_ks2_evaluation
from shared.clock import Clock
from shared.service import Service

# Real Hertfordshire primaries: Bushey Heath, Highwood, Four Swannes, Chorleywood
COMPARISON = (117088, 117089, 117092, 117093)
# Real Hertfordshire primaries near Abbots Langley: Abbots Langley, Ashwell, Cowley Hill,
# Green Lanes
CLUSTER = (117083, 117084, 117099, 117105)
# KS2 reading scaled scores as an external evaluator reported them: (group, stage, mean, sd, n)
SUMMARIES = (
    (Group.PARTICIPANT, Stage.BASELINE, 103.1, 6.4, 118),
    (Group.PARTICIPANT, Stage.OUTCOME, 106.0, 6.1, 112),
    (Group.COMPARISON, Stage.BASELINE, 103.4, 6.6, 121),
    (Group.COMPARISON, Stage.OUTCOME, 104.9, 6.5, 117),
)


async def seed_evaluation(
    service: Service[EvaluationUnitOfWork],
    catalogue: Service[CatalogueUnitOfWork],
    path: Path = SCHOOLS_CSV,
    *,
    today: date | None = None,
) -> int:
    async with service.unit_of_work() as uow:
        if await uow.programmes.all():
            return 0
        for school in read_register(path):
            await uow.schools.put(
                RegisteredSchool(school.urn, school.name, school.phase, school.pupils)
            )
        await uow.commit()
    async with catalogue.unit_of_work() as uow:
        course = (await uow.services.by_code())["ML-PROG"]
    bus = service.bus
    programme = await bus.handle(
        programmes.CreateProgramme(
            title="Middle leaders leading maths mastery",
            description="Demo: a year of middle-leader CPD on teaching for mastery in maths.",
            starts_on=date(2025, 9, 1),
            links=(Link(LinkKind.SERVICE, course.id),),
        )
    )
    await bus.handle(programmes.ChooseComparison(programme.id, COMPARISON))
    measure = await bus.handle(
        programmes.DeclareMeasure(programme.id, "KS2 reading scaled score", "scaled score")
    )
    groups = tuple(GroupResult(*summary) for summary in SUMMARIES)
    await bus.handle(programmes.RecordResults(programme.id, measure.id, Results(groups=groups)))
    await seed_cluster(service)
    await seed_ks2_evaluation(service, catalogue, today=today or Clock().today())
    async with service.unit_of_work() as uow:
        return len(await uow.programmes.all())  # the KS2 seed adds programmes of its own


async def seed_cluster(service: Service[EvaluationUnitOfWork]) -> None:
    network = await service.bus.handle(
        maturity.CreateNetwork("Abbots Langley and district primaries", "cluster", CLUSTER)
    )
    for on, perspective, step in (
        (date(2025, 7, 10), Perspective.SELF, Step.BEGINNING),
        (date(2026, 7, 9), Perspective.PEER, Step.DEVELOPING),
    ):
        judgements = tuple(
            Judgement(f"driver: {d}", step, "Demo evidence: minutes of heads' meetings")
            for d in DRIVERS
        ) + tuple(
            Judgement(f"criterion: {c}", step, "Demo evidence: peer review") for c in CRITERIA
        )
        await service.bus.handle(
            maturity.Assess(
                network.id,
                perspective=perspective,
                assessor="Cluster headteachers" if perspective is Perspective.SELF else "HfL",
                assessed_on=on,
                judgements=judgements,
            )
        )
