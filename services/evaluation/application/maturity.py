"""Networks of schools and their periodic maturity assessments: a second assessment of one
network for the same date and perspective replaces the first, as its correction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.maturity import Assessment, Judgement, Perspective
from shared.bus import Command
from shared.errors import Invalid, NotFound


@dataclass(frozen=True)
class CreateNetwork(Command["Network"]):
    name: str
    kind: str
    urns: tuple[int, ...]


@dataclass(frozen=True)
class Network:
    id: UUID
    name: str
    kind: str
    urns: list[int]


@dataclass(frozen=True)
class Assess(Command["Assessment"]):
    network_id: UUID
    perspective: Perspective
    assessor: str
    assessed_on: date
    judgements: tuple[Judgement, ...]


async def create_network(command: CreateNetwork, *, uow: EvaluationUnitOfWork) -> Network:
    name, urns = command.name.strip(), sorted(set(command.urns))
    if not name:
        raise Invalid("a network needs a name", field="name")
    await uow.schools.require(command.urns)
    network = Network(uuid4(), name, command.kind, urns)
    await uow.networks.add(network_id=network.id, name=name, kind=network.kind, urns=urns)
    uow.audit(
        "network.created",
        object_type="network",
        object_id=network.id,
        summary=f"{name}, {len(urns)} schools",
    )
    return network


async def assess(command: Assess, *, uow: EvaluationUnitOfWork, today: date) -> Assessment:
    network_id, perspective = command.network_id, command.perspective
    assessor, assessed_on = command.assessor, command.assessed_on
    if await uow.networks.get(network_id, for_update=True) is None:
        raise NotFound("no such network")
    assessment = Assessment.record(
        network_id=network_id,
        perspective=perspective,
        assessor=assessor,
        assessed_on=assessed_on,
        judgements=list(command.judgements),
        today=today,
    )
    replaced = await uow.networks.put_assessment(assessment)
    uow.audit(
        "network.assessed",
        object_type="network",
        object_id=network_id,
        summary=f"{perspective} assessment by {assessor} on {assessed_on}",
    )
    for replaced_id, replaced_assessor in replaced:
        uow.audit(
            "assessment.corrected",
            object_type="assessment",
            object_id=replaced_id,
            summary=f"{perspective} assessment of {assessed_on} by {replaced_assessor} replaced "
            f"by assessment {assessment.id} by {assessment.assessor}",
        )
    return assessment
