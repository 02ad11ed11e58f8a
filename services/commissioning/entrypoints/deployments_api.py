"""Brokered school-to-school support: company staff deploy providers and record delivery."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.commissioning.application import deployments, views
from services.commissioning.domain.deployment import (
    Deployment,
    DeploymentStatus,
    Provider,
    ProviderKind,
    cost_of,
)
from services.commissioning.entrypoints.deps import BusDep, Reader, Staff, UnitOfWorkDep
from shared.bounds import Day, Line, Paragraph, Pence, Quantity
from shared.money import VatRate

router = APIRouter(tags=["brokered support"])


class ProviderBody(BaseModel):
    name: Line = Field(min_length=1)
    kind: ProviderKind
    catalogue_id: UUID | None = Field(default=None, description="the catalogue's provider id")


class DeploymentCreate(BaseModel):
    provider: ProviderBody
    half_days: int = Field(gt=0, le=400)
    day_rate_pence: Pence = Field(gt=0)
    vat_rate: VatRate = VatRate.STANDARD
    objectives: Paragraph = Field(min_length=1)
    expected_impact: Paragraph = ""
    starts_on: Day


class DeliveryCreate(BaseModel):
    half_days: Quantity = Field(description="half days delivered")
    completed_on: Day


class DeploymentPublic(DeploymentCreate):
    id: UUID
    case_id: UUID
    contract_id: UUID
    urn: int
    status: DeploymentStatus
    committed_pence: int
    delivered_half_days: int | None
    delivered_cost_pence: int | None
    completed_on: date | None

    @classmethod
    def of(cls, deployment: Deployment) -> DeploymentPublic:
        delivered = deployment.delivered_half_days
        return cls(
            **{**deployment.__dict__, "provider": ProviderBody(**deployment.provider.__dict__)},
            committed_pence=deployment.committed_pence,
            delivered_cost_pence=cost_of(delivered, deployment.day_rate_pence)
            if delivered
            else None,
        )


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
