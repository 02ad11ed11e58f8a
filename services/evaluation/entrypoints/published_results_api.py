"""The DfE's published school results (Key Stage 2) as baselines and outcomes: importing the
file as it is published, and a programme's tracked measures and outcome-matched comparison."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from services.evaluation.application import views
from services.evaluation.application.published_outcomes import (
    ImportKs2File,
    MatchOnOutcomes,
    TrackMeasures,
)
from services.evaluation.domain.outcome_analysis import TrackedMeasure
from services.evaluation.domain.published_results import MEASURE_NAMES
from services.evaluation.domain.results_csv import BadRows
from services.evaluation.entrypoints.bad_rows import BAD_ROWS, bad_rows_response
from services.evaluation.entrypoints.deps import BusDep, Evaluator, StaffReader, UnitOfWorkDep
from shared.api.evaluation import (
    ImportedPublic,
    Ks2File,
    Ks2Year,
    OutcomeMatchingCreate,
    OutcomeMatchPublic,
    PublishedResultPublic,
    TrackedMeasuresCreate,
)
from shared.bounds import Urn

router = APIRouter(tags=["published results"])


@router.post(
    "/published-results/ks2",
    response_model=ImportedPublic,
    responses=BAD_ROWS,
)
async def import_ks2(
    bus: BusDep,
    _: Evaluator,
    body: Annotated[Ks2File, Body(media_type="text/csv")],
    year: Ks2Year,
) -> ImportedPublic | JSONResponse:
    """Import the DfE's KS2 performance-table CSV as published for `year` (with the two years
    before it that the file carries); all or nothing."""
    try:
        imported = await bus.handle(ImportKs2File(body, year))
    except BadRows as error:
        return bad_rows_response(error)
    return ImportedPublic(results=imported.results, schools=imported.schools)


@router.get("/published-results")
async def published_results(
    uow: UnitOfWorkDep,
    _: StaffReader,
    urn: Urn,
    year: Annotated[list[Ks2Year] | None, Query(max_length=10)] = None,
) -> list[PublishedResultPublic]:
    """One school's published results, every measure, for the years asked (default: all)."""
    found = await views.published_results(uow, urn=urn, years=year)
    return [PublishedResultPublic(**r.__dict__, name=MEASURE_NAMES[r.measure]) for r in found]


@router.put("/programmes/{programme_id}/tracked-measures")
async def track_measures(
    programme_id: UUID, body: TrackedMeasuresCreate, bus: BusDep, _: Evaluator
) -> TrackedMeasuresCreate:
    """Judge the programme on published results: each measure from a baseline year to an
    outcome year."""
    tracked = tuple(
        TrackedMeasure(t.measure, t.baseline_year, t.outcome_year) for t in body.measures
    )
    await bus.handle(TrackMeasures(programme_id, tracked))
    return body


@router.put("/programmes/{programme_id}/comparison/outcome-matched")
async def match_on_outcomes(
    programme_id: UUID, body: OutcomeMatchingCreate, bus: BusDep, _: Evaluator
) -> list[OutcomeMatchPublic]:
    """Match comparison schools on pupils on roll, disadvantage and the baseline year's result."""
    command = MatchOnOutcomes(programme_id, body.baseline_year, body.per_participant)
    matches = await bus.handle(command)
    return [OutcomeMatchPublic(**m.__dict__) for m in matches]
