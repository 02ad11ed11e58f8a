"""Programmes, their participants and comparison groups, and whether they can show impact."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, status

from services.evaluation.application import programmes as handlers
from services.evaluation.domain.programme import Link, Programme
from services.evaluation.entrypoints.deps import Evaluator, StaffReader, UnitOfWorkDep
from shared.api.evaluation import (
    ComparisonCreate,
    LinkCreate,
    MatchPublic,
    ParticipantPublic,
    ProgrammeCreate,
    ProgrammePublic,
    ReadinessPublic,
)
from shared.deps import Today

router = APIRouter(tags=["programmes"])


async def _public(uow: UnitOfWorkDep, programme: Programme, *, today: date) -> ProgrammePublic:
    taking_part = await handlers.participants(uow, programme)
    ready = await handlers.readiness(uow, programme, taking_part=taking_part, today=today)
    return ProgrammePublic(
        id=programme.id,
        title=programme.title,
        description=programme.description,
        starts_on=programme.starts_on,
        design=programme.design.value,
        links=[LinkCreate(kind=link.kind, target_id=link.target_id) for link in programme.links],
        participants=[ParticipantPublic(**p.__dict__) for p in taking_part],
        comparison_urns=list(programme.comparison_urns),
        readiness=ReadinessPublic(**ready.__dict__),
    )


@router.post("/programmes", status_code=status.HTTP_201_CREATED)
async def create_programme(
    body: ProgrammeCreate, uow: UnitOfWorkDep, today: Today, _: Evaluator
) -> ProgrammePublic:
    """Declare a programme linked to catalogue services or commissioning cases."""
    command = handlers.CreateProgramme(
        title=body.title,
        description=body.description,
        starts_on=body.starts_on,
        links=tuple(Link(link.kind, link.target_id) for link in body.links),
        randomised=body.randomised,
    )
    async with uow:
        programme = await handlers.create_programme(uow, command)
        return await _public(uow, programme, today=today)


@router.get("/programmes")
async def list_programmes(
    uow: UnitOfWorkDep, today: Today, _: StaffReader, unable_to_show_impact: bool | None = None
) -> list[ProgrammePublic]:
    """Every programme; `unable_to_show_impact=true` lists those flagged (no baseline, …)."""
    async with uow:
        found = [await _public(uow, p, today=today) for p in await uow.programmes.all()]
    if unable_to_show_impact is None:
        return found
    return [p for p in found if p.readiness.can_show_impact is not unable_to_show_impact]


@router.get("/programmes/{programme_id}")
async def get_programme(
    programme_id: UUID, uow: UnitOfWorkDep, today: Today, _: StaffReader
) -> ProgrammePublic:
    """A programme with its participants, comparison group and whether it can show impact."""
    async with uow:
        return await _public(uow, await handlers.load(uow, programme_id), today=today)


@router.put("/programmes/{programme_id}/comparison")
async def choose_comparison(
    programme_id: UUID, body: ComparisonCreate, uow: UnitOfWorkDep, _: Evaluator
) -> list[MatchPublic]:
    """Match comparison schools by phase and size from the register, or name them."""
    async with uow:
        if body.urns is not None:
            await handlers.choose_comparison(uow, programme_id, tuple(body.urns))
            return []
        matches = await handlers.match_comparison(
            uow, programme_id, per_participant=body.match_per_participant or 1
        )
    return [MatchPublic(**m.__dict__) for m in matches]
