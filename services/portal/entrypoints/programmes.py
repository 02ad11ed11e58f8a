"""The evaluator's programmes: creating one linked to catalogue services or LA cases, choosing
its comparison group and declaring the measures its impact is judged on."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors, Unreadable, whole_numbers
from services.portal.entrypoints.forms import Wording, read_date, read_optional_date, submit
from services.portal.entrypoints.rendering import (
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Evaluator
from services.portal.entrypoints.session import SignedIn

router = APIRouter(prefix="/programmes")


PROGRAMME_LABELS = {
    "title": "Title",
    "description": "Description",
    "starts_on": "Start date",
    "ends_on": "End date",
    "services": "Services",
}
# Services are ticked, so only a typed case reference can be malformed: its error goes on them.
LINK_FIELDS = {"links": "services", **{f"links.{n}.target_id": "cases" for n in range(50)}}
PROGRAMME_WORDING = Wording(PROGRAMME_LABELS, LINK_FIELDS)
COMPARISON_FIELDS = {"urns": "comparison_urns", "match_per_participant": "per_participant"}
MEASURE_LABELS = {"name": "Measure", "unit": "Unit"}


@router.get("")
async def programmes(request: Request, you: Evaluator) -> Response:
    found = sorted(await you.apis.evaluation.programmes(), key=lambda p: p.starts_on, reverse=True)
    return render(request, "programmes/list.html", programmes=found)


@router.get("/new")
async def new_programme(request: Request, you: Evaluator) -> Response:
    return await _programme_form(request, you, {}, [], FormErrors())


@router.post("/new")
async def create_programme(request: Request, you: Evaluator) -> Response:
    sent = await request.form()
    form = await form_of(request)
    services = [str(value) for value in sent.getlist("services")]
    errors = FormErrors()
    links: list[dict[str, Any]] = [{"kind": "service", "target_id": s} for s in services]
    links += [{"kind": "case", "target_id": c} for c in form.get("cases", "").split()]
    if not links:
        errors.add("services", "Select at least one service, or give a case")
    fields = {
        "title": form.get("title", ""),
        "description": form.get("description", ""),
        "starts_on": read_date(form, errors, "starts_on", "the start date"),
        "ends_on": read_optional_date(form, errors, "ends_on", "the end date"),
        "links": links,
        "randomised": form.get("randomised") == "yes",
    }
    created = await submit(
        errors, lambda: you.apis.evaluation.create_programme(fields), PROGRAMME_WORDING
    )
    if created is not None:
        tell_next_page(request, f"Programme created: {created.title}")
        return see_other(f"/programmes/{created.id}")
    return await _programme_form(request, you, form, services, errors)


async def _programme_form(
    request: Request, you: SignedIn, form: dict[str, str], chosen: list[str], errors: FormErrors
) -> Response:
    services = sorted(await you.apis.catalogue.services(), key=lambda s: s.title)
    return form_page(
        request,
        "programmes/new.html",
        form=form,
        errors=errors,
        services=services,
        chosen=chosen,
    )


@router.get("/{programme_id:uuid}")
async def programme_page(request: Request, programme_id: UUID, you: Evaluator) -> Response:
    return await _programme_page(request, you, programme_id, {}, FormErrors())


async def _programme_page(
    request: Request, you: SignedIn, programme_id: UUID, form: dict[str, str], errors: FormErrors
) -> Response:
    programme = await you.apis.evaluation.programme(programme_id)
    measures = await you.apis.evaluation.measures(programme_id)
    return form_page(
        request,
        "programmes/detail.html",
        form={"per_participant": "1", **form},
        errors=errors,
        programme=programme,
        measures=measures,
    )


@router.post("/{programme_id:uuid}/comparison")
async def choose_comparison(request: Request, programme_id: UUID, you: Evaluator) -> Response:
    """Matched from the register by phase and size, or named by URN."""
    form = await form_of(request)
    errors = FormErrors()
    fields: dict[str, Any] = {}
    if form.get("comparison_urns"):
        fields["urns"] = errors.read(
            lambda: whole_numbers(form["comparison_urns"]),
            field_id="comparison_urns",
            what="the URNs",
        )
    else:
        fields["match_per_participant"] = errors.read(
            lambda: _per_participant(form.get("per_participant", "")),
            field_id="per_participant",
            what="the number to match",
        )
    await submit(
        errors,
        lambda: you.apis.evaluation.choose_comparison(programme_id, fields),
        Wording({}, COMPARISON_FIELDS),
    )
    if not errors:
        tell_next_page(request, "Comparison group chosen")
        return see_other(f"/programmes/{programme_id}#comparison")
    return await _programme_page(request, you, programme_id, form, errors)


def _per_participant(text: str) -> int:
    number = whole_numbers(text)
    if len(number) != 1 or not 1 <= number[0] <= 5:
        raise Unreadable("a whole number from 1 to 5")
    return number[0]


@router.post("/{programme_id:uuid}/measures")
async def declare_measure(request: Request, programme_id: UUID, you: Evaluator) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    fields = {"name": form.get("name", ""), "unit": form.get("unit", "")}
    measure = await submit(
        errors,
        lambda: you.apis.evaluation.declare_measure(programme_id, fields),
        Wording(MEASURE_LABELS),
    )
    if measure is None:
        return await _programme_page(request, you, programme_id, form, errors)
    tell_next_page(request, f"Measure declared: {measure.name}", "Upload its baselines next.")
    return see_other(f"/programmes/{programme_id}#measures")
