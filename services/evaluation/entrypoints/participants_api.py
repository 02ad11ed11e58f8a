"""Evaluation HTTP API: participants (here) and the routers of each capability."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.evaluation.application import views
from services.evaluation.entrypoints.deps import Reader, UnitOfWorkDep
from shared.api.evaluation import ParticipationPublic
from shared.bounds import Urn

router = APIRouter(tags=["participants"])


@router.get("/participants")
async def list_participants(
    uow: UnitOfWorkDep, user: Reader, service_id: UUID | None = None, urn: Urn | None = None
) -> list[ParticipationPublic]:
    """Which schools took part in which services (a school sees only itself)."""
    if user.is_school:
        urn = user.urn
    found = await views.participations(uow, service_id=service_id, urn=urn)
    return [ParticipationPublic.model_validate(p.__dict__) for p in found]
