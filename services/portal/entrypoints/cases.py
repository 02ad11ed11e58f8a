"""Cases for schools causing concern: opening one, moving it through its stages, visit notes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.commissioning import Case
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import (
    Wording,
    read_date,
    read_optional_date,
    read_whole,
    submit,
)
from services.portal.entrypoints.rendering import (
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Officer
from services.portal.entrypoints.session import SignedIn
from shared.api.commissioning import Stage
from shared.auth import Role
from shared.deps import today_of

router = APIRouter(prefix="/cases")

STAGES = (
    (Stage.CONCERN, "Concern raised"),
    (Stage.WARNING_NOTICE, "Warning notice given"),
    (Stage.ACTION_PLAN_RECEIVED, "Action plan received"),
    (Stage.MONITORING, "Monitoring"),
    (Stage.CLOSED, "Closed"),
)
CASE_LABELS = {"contract_id": "Contract", "urn": "URN", "opened_on": "Date opened"}
STAGE_LABELS = {"stage": "Stage", "entered_on": "Date", "compliance_by": "Comply by"}
VISIT_LABELS = {"visited_on": "Date of the visit", "note": "Notes"}


@router.get("")
async def cases(request: Request, you: Officer) -> Response:
    names = await _school_names(you)
    found = sorted(await you.apis.commissioning.cases(), key=lambda c: c.opened_on, reverse=True)
    return render(request, "cases/list.html", cases=found, names=names, stages=dict(STAGES))


@router.get("/new")
async def new_case(request: Request, you: Officer) -> Response:
    return await _case_form(request, you, {}, FormErrors())


@router.post("/new")
async def open_case(request: Request, you: Officer) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    if not form.get("contract_id"):
        errors.add("contract_id", "Select the contract the case comes under")
    fields = {
        "contract_id": form.get("contract_id") or None,
        "urn": read_whole(form, errors, "urn", "the school's URN"),
        "opened_on": read_date(form, errors, "opened_on", "the date opened"),
        "summary": form.get("summary", ""),
    }
    case = await submit(
        errors, lambda: you.apis.commissioning.open_case(fields), Wording(CASE_LABELS)
    )
    if case is not None:
        tell_next_page(request, f"Case opened for the school with URN {case.urn}")
        return see_other(f"/cases/{case.id}")
    return await _case_form(request, you, form, errors)


async def _case_form(
    request: Request, you: SignedIn, form: dict[str, str], errors: FormErrors
) -> Response:
    contracts = [c for c in await you.apis.commissioning.contracts() if c.in_force]
    choices = [(str(c.id), f"{c.reference}: {c.title}") for c in contracts]
    return form_page(request, "cases/new.html", form=form, errors=errors, contracts=choices)


@router.get("/{case_id:uuid}")
async def case_page(request: Request, case_id: UUID, you: Officer) -> Response:
    case = await you.apis.commissioning.case(case_id)
    return render(
        request,
        "cases/detail.html",
        case=case,
        school=(await _school_names(you)).get(case.urn, f"URN {case.urn}"),
        contract=await you.apis.commissioning.contract(case.contract_id),
        deployments=await you.apis.commissioning.deployments(case_id=case_id),
        stages=dict(STAGES),
        may_deploy=you.user.role is Role.ADMIN,
        today=today_of(request),
    )


@router.get("/{case_id:uuid}/stage")
async def new_stage(request: Request, case_id: UUID, you: Officer) -> Response:
    return await _stage_form(request, you, case_id, {}, FormErrors())


@router.post("/{case_id:uuid}/stage")
async def move_case(request: Request, case_id: UUID, you: Officer) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    if form.get("stage") not in dict(STAGES):
        errors.add("stage", "Select the stage the case moves to")
    fields: dict[str, Any] = {
        "stage": form.get("stage"),
        "entered_on": read_date(form, errors, "entered_on", "the date"),
        "grounds": form.get("grounds", ""),
        "required_action": form.get("required_action", ""),
        "compliance_by": read_optional_date(form, errors, "compliance_by", "the date to comply by"),
        "outcome": form.get("outcome", ""),
    }
    case = await submit(
        errors, lambda: you.apis.commissioning.move_case(case_id, fields), Wording(STAGE_LABELS)
    )
    if case is not None:
        tell_next_page(request, f"Case moved on: {dict(STAGES)[case.stage]}")
        return see_other(f"/cases/{case_id}")
    return await _stage_form(request, you, case_id, form, errors)


async def _stage_form(
    request: Request, you: SignedIn, case_id: UUID, form: dict[str, str], errors: FormErrors
) -> Response:
    case = await you.apis.commissioning.case(case_id)
    later = _stages_after(case)
    return form_page(request, "cases/stage.html", form=form, errors=errors, case=case, stages=later)


def _stages_after(case: Case) -> list[tuple[str, str]]:
    """Cases move forward only; a stage may be skipped."""
    names = [name for name, _ in STAGES]
    return [stage for stage in STAGES if names.index(stage[0]) > names.index(case.stage)]


@router.get("/{case_id:uuid}/visits/new")
async def new_visit(request: Request, case_id: UUID, you: Officer) -> Response:
    case = await you.apis.commissioning.case(case_id)
    return form_page(request, "cases/visit.html", form={}, errors=FormErrors(), case=case)


@router.post("/{case_id:uuid}/visits/new")
async def note_visit(request: Request, case_id: UUID, you: Officer) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    fields = {
        "visited_on": read_date(form, errors, "visited_on", "the date of the visit"),
        "note": form.get("note", ""),
    }
    await submit(
        errors, lambda: you.apis.commissioning.note_visit(case_id, fields), Wording(VISIT_LABELS)
    )
    if not errors:
        tell_next_page(request, "Visit notes recorded")
        return see_other(f"/cases/{case_id}")
    case = await you.apis.commissioning.case(case_id)
    return form_page(request, "cases/visit.html", form=form, errors=errors, case=case)


async def _school_names(you: SignedIn) -> dict[int, str]:
    return {school.urn: school.name for school in await you.apis.commissioning.schools()}
