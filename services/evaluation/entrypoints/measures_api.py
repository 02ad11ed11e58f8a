"""Outcome measures of a programme and their baselines and outcomes, by JSON or CSV."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query, status
from fastapi.responses import JSONResponse

from services.evaluation.application import views
from services.evaluation.application.programmes import DeclareMeasure, RecordResults
from services.evaluation.domain.measure import GroupResult, Results, SchoolResult
from services.evaluation.domain.results_csv import BadRows, read_results
from services.evaluation.entrypoints.bad_rows import BAD_ROWS, bad_rows_response
from services.evaluation.entrypoints.deps import (
    BusDep,
    Evaluator,
    Reader,
    StaffReader,
    UnitOfWorkDep,
)
from services.evaluation.entrypoints.schemas import ResultsPublic
from shared.api.evaluation import (
    MeasureCreate,
    MeasurePublic,
    ResultsCreate,
    StoredPublic,
)
from shared.bounds import CsvText, Urn
from shared.errors import NotFound

router = APIRouter(tags=["measures"])


@router.post("/programmes/{programme_id}/measures", status_code=status.HTTP_201_CREATED)
async def declare_measure(
    programme_id: UUID, body: MeasureCreate, bus: BusDep, _: Evaluator
) -> MeasurePublic:
    """Declare an outcome measure, e.g. KS2 reading scaled score."""
    measure = await bus.handle(DeclareMeasure(programme_id, body.name, body.unit))
    return MeasurePublic(**measure.__dict__)


@router.get("/programmes/{programme_id}/measures")
async def list_measures(
    programme_id: UUID, uow: UnitOfWorkDep, _: StaffReader
) -> list[MeasurePublic]:
    return [MeasurePublic(**m.__dict__) for m in await views.measures(uow, programme_id)]


@router.post("/programmes/{programme_id}/measures/{measure_id}/results")
async def record_results(
    programme_id: UUID, measure_id: UUID, body: ResultsCreate, bus: BusDep, _: Evaluator
) -> StoredPublic:
    """Record baselines and outcomes: school-level values and/or group summaries."""
    results = Results(
        schools=tuple(SchoolResult(**s.model_dump()) for s in body.schools),
        groups=tuple(GroupResult.reported(**g.model_dump()) for g in body.groups),
    )
    return StoredPublic(stored=await bus.handle(RecordResults(programme_id, measure_id, results)))


@router.post(
    "/programmes/{programme_id}/measures/{measure_id}/results.csv",
    response_model=StoredPublic,
    responses=BAD_ROWS,
)
async def upload_results(
    programme_id: UUID,
    measure_id: UUID,
    bus: BusDep,
    _: Evaluator,
    body: Annotated[CsvText, Body(media_type="text/csv")],
) -> StoredPublic | JSONResponse:
    """Upload a CSV (`urn,stage,value[,pupils]` or `group,stage,mean,sd,n`); all or nothing."""
    try:
        results = read_results(body)
    except BadRows as error:
        return bad_rows_response(error)
    return StoredPublic(stored=await bus.handle(RecordResults(programme_id, measure_id, results)))


@router.get("/programmes/{programme_id}/measures/{measure_id}/results")
async def list_results(
    programme_id: UUID,
    measure_id: UUID,
    uow: UnitOfWorkDep,
    user: Reader,
    urn: Annotated[Urn | None, Query()] = None,
) -> ResultsPublic:
    """Recorded values; a school sees only its own (another school's are not found)."""
    if user.is_school:
        if urn is not None and urn != user.urn:
            raise NotFound("no such results")
        urn = user.urn
    results = await views.results(uow, programme_id, measure_id, urn=urn)
    if user.is_school and not results.schools:
        raise NotFound("no such results")
    return ResultsPublic.of(results)
