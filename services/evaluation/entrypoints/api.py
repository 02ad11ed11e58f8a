"""Evaluation HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from shared.auth import Principal, Role
from shared.deps import unit_of_work
from shared.http import require

router = APIRouter(tags=["participants"])

UnitOfWorkDep = Annotated[EvaluationUnitOfWork, Depends(unit_of_work)]
Reader = Annotated[
    Principal, Depends(require(Role.EVALUATOR, Role.ADMIN, Role.FINANCE, Role.SCHOOL))
]


class ParticipationPublic(BaseModel):
    urn: int
    school_name: str
    phase: str
    service_id: UUID
    service_title: str
    order_id: UUID
    since: date


@router.get("/participants")
async def list_participants(
    uow: UnitOfWorkDep, user: Reader, service_id: UUID | None = None, urn: int | None = None
) -> list[ParticipationPublic]:
    """Which schools took part in which services (a school sees only itself)."""
    if user.is_school:
        urn = user.urn
    async with uow:
        found = await uow.participations.list(service_id=service_id, urn=urn)
    return [ParticipationPublic.model_validate(p.__dict__) for p in found]
