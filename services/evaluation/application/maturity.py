"""Networks of schools and their periodic maturity assessments."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.maturity import Assessment, Judgement, Perspective
from shared.errors import Invalid, NotFound


async def create_network(
    uow: EvaluationUnitOfWork, *, name: str, kind: str, urns: list[int]
) -> UUID:
    if not name.strip():
        raise Invalid("a network needs a name", field="name")
    await uow.schools.require(urns)
    network_id = uuid4()
    await uow.networks.add(
        network_id=network_id, name=name.strip(), kind=kind, urns=sorted(set(urns))
    )
    uow.audit(
        "network.created",
        object_type="network",
        object_id=network_id,
        summary=f"{name.strip()}, {len(set(urns))} schools",
    )
    await uow.commit()
    return network_id


async def assess(
    uow: EvaluationUnitOfWork,
    network_id: UUID,
    *,
    perspective: Perspective,
    assessor: str,
    assessed_on: date,
    judgements: list[Judgement],
) -> Assessment:
    if await uow.networks.get(network_id) is None:
        raise NotFound("no such network")
    assessment = Assessment.record(
        network_id=network_id,
        perspective=perspective,
        assessor=assessor,
        assessed_on=assessed_on,
        judgements=judgements,
    )
    await uow.networks.add_assessment(assessment)
    uow.audit(
        "network.assessed",
        object_type="network",
        object_id=network_id,
        summary=f"{perspective} assessment by {assessor} on {assessed_on}",
    )
    await uow.commit()
    return assessment
