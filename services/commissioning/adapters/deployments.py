"""Brokered support deployments."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.commissioning.adapters.tables import deployments
from services.commissioning.domain.deployment import (
    Deployment,
    DeploymentStatus,
    Provider,
    ProviderKind,
    committed_to,
)
from shared.errors import NotFound
from shared.money import VatRate


class DeploymentRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, deployment: Deployment) -> None:
        await self._session.execute(insert(deployments).values(**_row(deployment)))

    async def save(self, deployment: Deployment) -> None:
        await self._session.execute(
            update(deployments).where(deployments.c.id == deployment.id).values(**_row(deployment))
        )

    async def get(self, deployment_id: UUID) -> Deployment:
        row = (
            await self._session.execute(
                select(deployments).where(deployments.c.id == deployment_id)
            )
        ).first()
        if row is None:
            raise NotFound(f"no deployment {deployment_id}", field="deployment_id")
        return _deployment(row._mapping)

    async def find(
        self, *, contract_id: UUID | None = None, case_id: UUID | None = None
    ) -> list[Deployment]:
        query = select(deployments).order_by(deployments.c.starts_on, deployments.c.id)
        if contract_id:
            query = query.where(deployments.c.contract_id == contract_id)
        if case_id:
            query = query.where(deployments.c.case_id == case_id)
        return [_deployment(row._mapping) for row in await self._session.execute(query)]

    async def committed_pence(self, contract_id: UUID) -> int:
        return committed_to(await self.find(contract_id=contract_id))


def _row(deployment: Deployment) -> dict[str, Any]:
    return {
        "id": deployment.id,
        "case_id": deployment.case_id,
        "contract_id": deployment.contract_id,
        "urn": deployment.urn,
        "provider_name": deployment.provider.name,
        "provider_kind": deployment.provider.kind.value,
        "provider_catalogue_id": deployment.provider.catalogue_id,
        "half_days": deployment.half_days,
        "day_rate_pence": deployment.day_rate_pence,
        "vat_rate": deployment.vat_rate.value,
        "objectives": deployment.objectives,
        "expected_impact": deployment.expected_impact,
        "starts_on": deployment.starts_on,
        "status": deployment.status.value,
        "delivered_half_days": deployment.delivered_half_days,
        "completed_on": deployment.completed_on,
    }


def _deployment(row: Any) -> Deployment:
    return Deployment(
        id=row["id"],
        case_id=row["case_id"],
        contract_id=row["contract_id"],
        urn=row["urn"],
        provider=Provider(
            name=row["provider_name"],
            kind=ProviderKind(row["provider_kind"]),
            catalogue_id=row["provider_catalogue_id"],
        ),
        half_days=row["half_days"],
        day_rate_pence=row["day_rate_pence"],
        vat_rate=VatRate(row["vat_rate"]),
        objectives=row["objectives"],
        expected_impact=row["expected_impact"],
        starts_on=row["starts_on"],
        status=DeploymentStatus(row["status"]),
        delivered_half_days=row["delivered_half_days"],
        completed_on=row["completed_on"],
    )
