"""Partnership maturity of networks of schools: assessments and their trend."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.evaluation.application import views
from services.evaluation.application.maturity import Assess, CreateNetwork
from services.evaluation.domain.maturity import (
    Judgement,
)
from services.evaluation.entrypoints.deps import BusDep, Evaluator, Reader, UnitOfWorkDep
from services.evaluation.entrypoints.schemas import MaturityPublic
from shared.api.evaluation import (
    AssessmentCreate,
    NetworkCreate,
    NetworkPublic,
)

router = APIRouter(tags=["partnership maturity"])


@router.post("/networks", status_code=status.HTTP_201_CREATED)
async def create_network(body: NetworkCreate, bus: BusDep, _: Evaluator) -> NetworkPublic:
    """A network of schools (a cluster, a teaching-school alliance)."""
    network = await bus.handle(CreateNetwork(body.name, body.kind, tuple(body.urns)))
    return NetworkPublic.model_validate(network.__dict__)


@router.get("/networks")
async def list_networks(uow: UnitOfWorkDep, user: Reader) -> list[NetworkPublic]:
    """Networks of schools by name (a school sees those it belongs to)."""
    found = await views.networks(uow, urn=user.urn if user.is_school else None)
    return [NetworkPublic.model_validate(network) for network in found]


@router.post("/networks/{network_id}/assessments", status_code=status.HTTP_201_CREATED)
async def assess(
    network_id: UUID, body: AssessmentCreate, bus: BusDep, _: Evaluator
) -> dict[str, UUID]:
    """A self- or peer-assessment on all six drivers and four maturity criteria; a second for
    the same date and perspective replaces the first, as its correction (audited)."""
    command = Assess(
        network_id,
        perspective=body.perspective,
        assessor=body.assessor,
        assessed_on=body.assessed_on,
        judgements=tuple(Judgement(j.dimension, j.step, j.evidence) for j in body.judgements),
    )
    assessment = await bus.handle(command)
    return {"id": assessment.id}


@router.get("/networks/{network_id}/maturity")
async def maturity(network_id: UUID, uow: UnitOfWorkDep, user: Reader) -> MaturityPublic:
    """Each dimension's steps over time, self and peer, and its change (a member school too)."""
    found = await views.maturity(uow, network_id, urn=user.urn if user.is_school else None)
    return MaturityPublic.of(found)
