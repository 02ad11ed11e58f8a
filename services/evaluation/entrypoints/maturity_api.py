"""Partnership maturity of networks of schools: assessments and their trend."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.evaluation.application import maturity as handlers
from services.evaluation.domain.maturity import (
    CRITERIA,
    DRIVERS,
    Judgement,
    trends,
)
from services.evaluation.entrypoints.deps import Evaluator, Reader, UnitOfWorkDep
from shared.api.evaluation import (
    AssessmentCreate,
    MaturityPublic,
    NetworkCreate,
    NetworkPublic,
    PointPublic,
    TrendPublic,
)
from shared.errors import NotFound

router = APIRouter(tags=["partnership maturity"])


@router.post("/networks", status_code=status.HTTP_201_CREATED)
async def create_network(body: NetworkCreate, uow: UnitOfWorkDep, _: Evaluator) -> NetworkPublic:
    """A network of schools (a cluster, a teaching-school alliance)."""
    async with uow:
        network_id = await handlers.create_network(
            uow, name=body.name, kind=body.kind, urns=body.urns
        )
    return NetworkPublic(
        id=network_id, name=body.name.strip(), kind=body.kind, urns=sorted(set(body.urns))
    )


@router.get("/networks")
async def list_networks(uow: UnitOfWorkDep, user: Reader) -> list[NetworkPublic]:
    """Networks of schools by name (a school sees those it belongs to)."""
    async with uow:
        found = await uow.networks.all(urn=user.urn if user.is_school else None)
    return [NetworkPublic.model_validate(network) for network in found]


@router.post("/networks/{network_id}/assessments", status_code=status.HTTP_201_CREATED)
async def assess(
    network_id: UUID, body: AssessmentCreate, uow: UnitOfWorkDep, _: Evaluator
) -> dict[str, UUID]:
    """A self- or peer-assessment on all six drivers and four maturity criteria."""
    async with uow:
        assessment = await handlers.assess(
            uow,
            network_id,
            perspective=body.perspective,
            assessor=body.assessor,
            assessed_on=body.assessed_on,
            judgements=[Judgement(j.dimension, j.step, j.evidence) for j in body.judgements],
        )
    return {"id": assessment.id}


@router.get("/networks/{network_id}/maturity")
async def maturity(network_id: UUID, uow: UnitOfWorkDep, user: Reader) -> MaturityPublic:
    """Each dimension's steps over time, self and peer, and its change (a member school too)."""
    async with uow:
        network = await uow.networks.get(network_id)
        if network is None or (user.is_school and user.urn not in network["urns"]):  # type: ignore[operator]
            raise NotFound("no such network")
        found = await uow.networks.assessments(network_id)
    return MaturityPublic(
        network=NetworkPublic.model_validate(network),
        drivers=list(DRIVERS),
        criteria=list(CRITERIA),
        assessments=len(found),
        trend=[
            TrendPublic(
                dimension=t.dimension,
                points=[PointPublic(assessed_on=d, perspective=p, step=s) for d, p, s in t.points],
                change=t.change,
            )
            for t in trends(found)
        ],
    )
