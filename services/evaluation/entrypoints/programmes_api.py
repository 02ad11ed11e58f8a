"""Programmes, their participants and comparison groups, and whether they can show impact."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.evaluation.application import programmes, views
from services.evaluation.domain.programme import Link
from services.evaluation.entrypoints.deps import BusDep, Evaluator, StaffReader, UnitOfWorkDep
from services.evaluation.entrypoints.schemas import ProgrammePublic
from shared.api.evaluation import (
    ComparisonCreate,
    MatchPublic,
    ProgrammeCreate,
)
from shared.deps import Today

router = APIRouter(tags=["programmes"])


@router.post("/programmes", status_code=status.HTTP_201_CREATED)
async def create_programme(
    body: ProgrammeCreate, bus: BusDep, uow: UnitOfWorkDep, today: Today, _: Evaluator
) -> ProgrammePublic:
    """Declare a programme linked to catalogue services or commissioning cases."""
    command = programmes.CreateProgramme(
        title=body.title,
        description=body.description,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        links=tuple(Link(link.kind, link.target_id) for link in body.links),
        randomised=body.randomised,
    )
    created = await bus.handle(command)
    return ProgrammePublic.of(await views.programme(uow, created.id, today=today))


@router.get("/programmes")
async def list_programmes(
    uow: UnitOfWorkDep, today: Today, _: StaffReader, unable_to_show_impact: bool | None = None
) -> list[ProgrammePublic]:
    """Every programme; `unable_to_show_impact=true` lists those flagged (no baseline, …)."""
    found = [ProgrammePublic.of(shown) for shown in await views.programmes(uow, today=today)]
    if unable_to_show_impact is None:
        return found
    return [p for p in found if p.readiness.can_show_impact is not unable_to_show_impact]


@router.get("/programmes/{programme_id}")
async def get_programme(
    programme_id: UUID, uow: UnitOfWorkDep, today: Today, _: StaffReader
) -> ProgrammePublic:
    """A programme with its participants, comparison group and whether it can show impact."""
    return ProgrammePublic.of(await views.programme(uow, programme_id, today=today))


@router.put("/programmes/{programme_id}/comparison")
async def choose_comparison(
    programme_id: UUID, body: ComparisonCreate, bus: BusDep, _: Evaluator
) -> list[MatchPublic]:
    """Match comparison schools by phase and size from the register, or name them."""
    if body.urns is not None:
        await bus.handle(programmes.ChooseComparison(programme_id, tuple(body.urns)))
        return []
    per_participant = body.match_per_participant or 1
    matches = await bus.handle(programmes.MatchComparison(programme_id, per_participant))
    return [MatchPublic(**m.__dict__) for m in matches]
