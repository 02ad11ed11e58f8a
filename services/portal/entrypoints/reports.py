"""Baselines and outcomes uploaded as CSV (bad rows reported by line), and the impact report:
every figure with its method, the padlocks, cost per pupil and the forest plot."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import uploaded_text
from services.portal.entrypoints.rendering import (
    download,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Evaluator
from services.portal.entrypoints.session import SignedIn
from shared.api.evaluation import FigurePublic, StandardisedBy
from shared.money import format_pounds

router = APIRouter(prefix="/programmes")

# The EEF's months' progress are for an effect over pupils' spread, so the page says which it is.
OVER = {
    StandardisedBy.PUPILS: "over pupils' spread",
    StandardisedBy.SCHOOLS: "over the spread between schools",
}


@router.get("/forest-plot.png")
async def forest_plot(you: Evaluator) -> Response:
    """The evaluation service draws the plot; the browser fetches it through the portal."""
    return download(await you.apis.evaluation.forest_plot())


@router.get("/{programme_id:uuid}/measures/{measure_id:uuid}/upload")
async def upload_page(
    request: Request, programme_id: UUID, measure_id: UUID, you: Evaluator
) -> Response:
    return await _upload_form(request, you, programme_id, measure_id, FormErrors())


@router.post("/{programme_id:uuid}/measures/{measure_id:uuid}/upload")
async def upload(
    request: Request, programme_id: UUID, measure_id: UUID, you: Evaluator
) -> Response:
    """All or nothing: a file with a bad row stores nothing, and each bad row is listed."""
    sent = (await request.form()).get("file")
    errors = FormErrors()
    text = await uploaded_text(sent, errors)
    if text is not None:
        try:
            stored = await you.apis.evaluation.upload_results(programme_id, measure_id, text)
        except ApiError as refused:
            if refused.status != 422:
                raise
            errors.add_each("file", [problem.message for problem in refused.problems])
        else:
            tell_next_page(request, f"{stored} results stored")
            return see_other(f"/programmes/{programme_id}#measures")
    return await _upload_form(request, you, programme_id, measure_id, errors)


async def _upload_form(
    request: Request, you: SignedIn, programme_id: UUID, measure_id: UUID, errors: FormErrors
) -> Response:
    programme = await you.apis.evaluation.programme(programme_id)
    measures = {m.id: m for m in await you.apis.evaluation.measures(programme_id)}
    if measure_id not in measures:
        raise ApiError(404, [])
    return form_page(
        request,
        "programmes/upload.html",
        form={},
        errors=errors,
        programme=programme,
        measure=measures[measure_id],
    )


@router.get("/{programme_id:uuid}/report")
async def report(request: Request, programme_id: UUID, you: Evaluator) -> Response:
    programme = await you.apis.evaluation.programme(programme_id)
    found = await you.apis.evaluation.report(programme_id)
    by_measure: defaultdict[UUID | None, list[FigurePublic]] = defaultdict(list)
    for figure in found.figures:
        by_measure[figure.measure_id].append(figure)
    left_out = set(found.comparison_left_out)
    return render(
        request,
        "programmes/report.html",
        programme=programme,
        report=found,
        overall=by_measure.pop(None, []),
        measures=[(m, by_measure[m.id]) for m in found.measures],
        left_out=[p for p in found.participants if p.urn in left_out],
        outcomes=found.published_outcomes,
        over=OVER,
        shown=shown,
    )


@router.get("/{programme_id:uuid}/report.csv")
async def report_csv(programme_id: UUID, you: Evaluator) -> Response:
    return download(await you.apis.evaluation.report_csv(programme_id))


def shown(figure: FigurePublic) -> str:
    """A figure as a person reads it: pence in pounds, long decimals to three places."""
    value = figure.value
    if value is None:
        return "not known"
    if "(pence)" in figure.figure and isinstance(value, int | float):
        return format_pounds(round(value))
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)
