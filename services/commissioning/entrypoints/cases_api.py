"""Cases for schools causing concern. A school may see its own open case, without the notes."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.commissioning.application import cases, views
from services.commissioning.domain.case import Case, StageEntry, VisitNote
from services.commissioning.entrypoints.deps import (
    BusDep,
    CaseReader,
    Officer,
    OfficerOrStaff,
    UnitOfWorkDep,
)
from services.commissioning.entrypoints.schemas import CasePublic
from shared.api.commissioning import CaseCreate, StageCreate, VisitCreate, VisitPublic
from shared.auth import Principal
from shared.bounds import Urn
from shared.errors import NotFound

router = APIRouter(prefix="/cases", tags=["cases"])


def _visible(case: Case, user: Principal) -> CasePublic:
    if user.is_school and not (user.may_see_school(case.urn) and case.is_open):
        raise NotFound(f"no case {case.id}", field="case_id")
    return CasePublic.of(case, with_notes=not user.is_school)


@router.post("", status_code=status.HTTP_201_CREATED)
async def open_case(body: CaseCreate, bus: BusDep, _: Officer) -> CasePublic:
    """Open a case for a school causing concern, under a contract in force."""
    return CasePublic.of(await bus.handle(cases.OpenCase(**body.model_dump())))


@router.get("")
async def list_cases(
    uow: UnitOfWorkDep, user: CaseReader, urn: Urn | None = None, open_only: bool = False
) -> list[CasePublic]:
    """Cases, oldest first; a school sees only its own open case."""
    if user.is_school:
        urn, open_only = user.urn, True
    found = await views.cases(uow, urn=urn, open_only=open_only)
    return [_visible(case, user) for case in found]


@router.get("/{case_id}")
async def get_case(case_id: UUID, uow: UnitOfWorkDep, user: CaseReader) -> CasePublic:
    """One case with its stages (and, for staff, its visit notes)."""
    return _visible(await views.case(uow, case_id), user)


@router.post("/{case_id}/stages", status_code=status.HTTP_201_CREATED)
async def move_case(case_id: UUID, body: StageCreate, bus: BusDep, _: Officer) -> CasePublic:
    """Move a case on: a warning notice needs grounds, required action and a compliance date;
    closing needs an outcome."""
    command = cases.MoveCase(case_id, StageEntry(**body.model_dump()))
    return CasePublic.of(await bus.handle(command))


@router.post("/{case_id}/visits", status_code=status.HTTP_201_CREATED)
async def note_visit(
    case_id: UUID, body: VisitCreate, bus: BusDep, user: OfficerOrStaff
) -> VisitPublic:
    """Record the notes of a visit to the school."""
    command = cases.NoteVisit(case_id, author=user.subject, **body.model_dump())
    visit: VisitNote = await bus.handle(command)
    return VisitPublic.model_validate(visit.__dict__)
