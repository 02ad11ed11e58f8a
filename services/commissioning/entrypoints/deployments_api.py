"""Brokered school-to-school support: company staff deploy providers and record delivery."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.commissioning.application import deployments, views
from services.commissioning.domain.deployment import (
    Provider,
)
from services.commissioning.entrypoints.deps import BusDep, Reader, Staff, UnitOfWorkDep
from services.commissioning.entrypoints.schemas import DeploymentPublic
from shared.api.commissioning import DeliveryCreate, DeploymentCreate

router = APIRouter(tags=["brokered support"])


@router.post("/cases/{case_id}/deployments", status_code=status.HTTP_201_CREATED)
async def deploy(case_id: UUID, body: DeploymentCreate, bus: BusDep, _: Staff) -> DeploymentPublic:
    """Deploy a provider to a case; refused if it would commit more than the contract has left."""
    fields = body.model_dump()
    command = deployments.Deploy(
        case_id=case_id, **{**fields, "provider": Provider(**fields["provider"])}
    )
    return DeploymentPublic.of(await bus.handle(command))


@router.get("/deployments")
async def list_deployments(
    uow: UnitOfWorkDep, _: Reader, contract_id: UUID | None = None, case_id: UUID | None = None
) -> list[DeploymentPublic]:
    """Deployments, by start date."""
    found = await views.deployments(uow, contract_id=contract_id, case_id=case_id)
    return [DeploymentPublic.of(deployment) for deployment in found]


@router.get("/deployments/{deployment_id}")
async def get_deployment(deployment_id: UUID, uow: UnitOfWorkDep, _: Reader) -> DeploymentPublic:
    """One deployment."""
    return DeploymentPublic.of(await views.deployment(uow, deployment_id))


@router.post("/deployments/{deployment_id}/complete")
async def complete(
    deployment_id: UUID, body: DeliveryCreate, bus: BusDep, _: Staff
) -> DeploymentPublic:
    """Record the half days delivered: the provider is owed for them (a statutory cost)."""
    command = deployments.CompleteDeployment(deployment_id, body.half_days, body.completed_on)
    return DeploymentPublic.of(await bus.handle(command))
