"""Use cases of cases for schools causing concern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.commissioning.application import events_out
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.case import Case, Stage, StageEntry, VisitNote
from shared.bus import Command
from shared.errors import Conflict


@dataclass(frozen=True)
class OpenCase(Command["Case"]):
    contract_id: UUID
    urn: int
    opened_on: date
    summary: str


@dataclass(frozen=True)
class MoveCase(Command["Case"]):
    case_id: UUID
    entry: StageEntry


@dataclass(frozen=True)
class NoteVisit(Command["VisitNote"]):
    case_id: UUID
    visited_on: date
    author: str
    note: str


async def open_case(command: OpenCase, *, uow: CommissioningUnitOfWork, today: date) -> Case:
    school = await uow.schools.get(command.urn, for_update=True)
    contract = await uow.contracts.get(command.contract_id)
    if not contract.status.in_force:
        raise Conflict(f"contract {contract.reference} is {contract.status}, not in force")
    contract.check_in_term(command.opened_on, what="a case is opened", field="opened_on")
    if await uow.cases.find(urn=command.urn, open_only=True):
        raise Conflict(f"{school.name} already has an open case", field="urn")
    case = Case.open(**command.__dict__, today=today)
    await uow.cases.add(case)
    uow.audit(
        "case.opened",
        object_type="case",
        object_id=case.id,
        summary=f"{school.name} ({case.urn}): {case.summary}",
    )
    return case


async def move_case(command: MoveCase, *, uow: CommissioningUnitOfWork, today: date) -> Case:
    entry = command.entry
    case = await uow.cases.get(command.case_id, for_update=True)
    case.move_to(entry, today=today)
    await uow.cases.save(case)
    uow.record(
        events_out.case_moved(case, entry),
        summary=f"to {entry.stage.value} on {entry.entered_on} {entry.grounds}".strip(),
    )
    if entry.stage is Stage.WARNING_NOTICE:
        school = await uow.schools.get(case.urn)
        uow.record(events_out.warning_notice_issued(case, entry, school_name=school.name))
    return case


async def note_visit(command: NoteVisit, *, uow: CommissioningUnitOfWork, today: date) -> VisitNote:
    visited_on, author, note = command.visited_on, command.author, command.note
    case = await uow.cases.get(command.case_id, for_update=True)
    visit = case.note_visit(visited_on=visited_on, author=author, note=note, today=today)
    await uow.cases.save(case)
    uow.audit(
        "case.visit_noted",
        object_type="case",
        object_id=case.id,
        summary=f"visited on {visited_on} by {author}",
    )
    return visit
