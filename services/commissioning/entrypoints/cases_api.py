"""Cases for schools causing concern. A school may see its own open case, without the notes."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.commissioning.application import cases as handlers
from services.commissioning.domain.case import Case, StageEntry, VisitNote
from services.commissioning.entrypoints.roles import (
    CaseReader,
    Officer,
    OfficerOrStaff,
    UnitOfWorkDep,
)
from shared.api import commissioning as contract
from shared.api.commissioning import CaseCreate, StageCreate, VisitCreate, VisitPublic
from shared.auth import Principal
from shared.bounds import Urn
from shared.errors import NotFound

router = APIRouter(prefix="/cases", tags=["cases"])


class CasePublic(contract.CasePublic):
    @classmethod
    def of(cls, case: Case, *, with_notes: bool = True) -> CasePublic:
        return cls(
            id=case.id,
            contract_id=case.contract_id,
            urn=case.urn,
            opened_on=case.opened_on,
            summary=case.summary,
            stage=case.stage,
            stages=[StageCreate.model_validate(entry.__dict__) for entry in case.stages],
            visits=[VisitPublic.model_validate(v.__dict__) for v in case.visits]
            if with_notes
            else [],
        )


def _visible(case: Case, user: Principal) -> CasePublic:
    if user.is_school and not (user.may_see_school(case.urn) and case.is_open):
        raise NotFound(f"no case {case.id}", field="case_id")
    return CasePublic.of(case, with_notes=not user.is_school)


@router.post("", status_code=status.HTTP_201_CREATED)
async def open_case(body: CaseCreate, uow: UnitOfWorkDep, _: Officer) -> CasePublic:
    """Open a case for a school causing concern, under a contract in force."""
    async with uow:
        case = await handlers.open_case(uow, handlers.OpenCase(**body.model_dump()))
    return CasePublic.of(case)


@router.get("")
async def list_cases(
    uow: UnitOfWorkDep, user: CaseReader, urn: Urn | None = None, open_only: bool = False
) -> list[CasePublic]:
    """Cases, oldest first; a school sees only its own open case."""
    if user.is_school:
        urn, open_only = user.urn, True
    async with uow:
        return [_visible(case, user) for case in await uow.cases.find(urn=urn, open_only=open_only)]


@router.get("/{case_id}")
async def get_case(case_id: UUID, uow: UnitOfWorkDep, user: CaseReader) -> CasePublic:
    """One case with its stages (and, for staff, its visit notes)."""
    async with uow:
        return _visible(await uow.cases.get(case_id), user)


@router.post("/{case_id}/stages", status_code=status.HTTP_201_CREATED)
async def move_case(case_id: UUID, body: StageCreate, uow: UnitOfWorkDep, _: Officer) -> CasePublic:
    """Move a case on: a warning notice needs grounds, required action and a compliance date;
    closing needs an outcome."""
    async with uow:
        case = await handlers.move_case(uow, case_id, StageEntry(**body.model_dump()))
    return CasePublic.of(case)


@router.post("/{case_id}/visits", status_code=status.HTTP_201_CREATED)
async def note_visit(
    case_id: UUID, body: VisitCreate, uow: UnitOfWorkDep, user: OfficerOrStaff
) -> VisitPublic:
    """Record the notes of a visit to the school."""
    async with uow:
        visit: VisitNote = await handlers.note_visit(
            uow, case_id, author=user.subject, **body.model_dump()
        )
    return VisitPublic.model_validate(visit.__dict__)
