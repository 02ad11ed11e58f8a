"""Reports: a page and a CSV per programme, and a forest plot across programmes."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from services.evaluation.adapters.forest_plot import Row, forest_plot_png
from services.evaluation.application import views
from services.evaluation.application.analysis import ProgrammeReport
from services.evaluation.application.published_outcomes import OutcomesReport
from services.evaluation.domain.published_results import MEASURE_NAMES
from services.evaluation.entrypoints.deps import StaffReader, UnitOfWorkDep
from services.evaluation.entrypoints.outcome_report_view import outcome_figures, outcomes_section
from services.evaluation.entrypoints.report_view import as_csv, figures, standardised_by
from shared.api.evaluation import (
    FigurePublic,
    MeasureSummaryPublic,
    ParticipantPublic,
    PublishedOutcomesPublic,
    ReadinessPublic,
    ReportedProgrammePublic,
    ReportPublic,
)
from shared.deps import Today

router = APIRouter(tags=["reports"])


@router.get("/programmes/{programme_id}/report")
async def programme_report(
    programme_id: UUID, uow: UnitOfWorkDep, today: Today, _: StaffReader
) -> ReportPublic:
    """Every figure of the programme's evaluation, each with its method."""
    found = await views.report(uow, programme_id, today=today)
    return _public(found.report, found.outcomes)


@router.get("/programmes/{programme_id}/report.csv")
async def programme_report_csv(
    programme_id: UUID, uow: UnitOfWorkDep, today: Today, _: StaffReader
) -> Response:
    """The same figures as the page, one per row, for a spreadsheet."""
    found = await views.report(uow, programme_id, today=today)
    report, outcomes = found.report, found.outcomes
    extra = outcome_figures(report, outcomes) if outcomes else []
    return Response(
        as_csv(report, extra),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="programme-{programme_id}.csv"'},
    )


@router.get("/reports/forest-plot.png", response_class=Response)
async def forest_plot(uow: UnitOfWorkDep, today: Today, _: StaffReader) -> Response:
    """Effect size and 95% CI of every programme and measure that has one, as a PNG."""
    rows = []
    for found in await views.reports(uow, today=today):
        title = found.report.programme.title
        rows += [
            Row(f"{title}: {m.measure.name}", e.hedges_g, e.ci_low, e.ci_high, m.analysis.spread)
            for m in found.report.measures
            if (e := m.analysis.effect) and m.analysis.spread
        ]
        rows += [
            Row(
                f"{title}: {MEASURE_NAMES[a.tracked.measure]} (KS2 DiD)",
                e.hedges_g,
                e.ci_low,
                e.ci_high,
                a.spread,
            )
            for a in (found.outcomes.analyses if found.outcomes else [])
            if (e := a.effect)
        ]
    png = await run_in_threadpool(forest_plot_png, rows)
    return Response(png, media_type="image/png")


def _public(report: ProgrammeReport, outcomes: OutcomesReport | None) -> ReportPublic:
    programme = report.programme
    return ReportPublic(
        programme=ReportedProgrammePublic(
            id=programme.id,
            title=programme.title,
            design=programme.design.value,
            starts_on=programme.starts_on,
            ends_on=programme.ends_on,
        ),
        participants=[ParticipantPublic(**p.__dict__) for p in report.participants],
        participating_schools=len(report.participants),
        pupils_reached=report.pupils_reached,
        readiness=ReadinessPublic(**report.readiness.__dict__),
        comparison_urns=sorted(report.cohorts.comparison),
        comparison_left_out=sorted(report.cohorts.left_out),
        measures=[
            MeasureSummaryPublic(
                id=m.measure.id,
                name=m.measure.name,
                unit=m.measure.unit,
                padlocks=m.analysis.security.padlocks,
                months_progress=m.analysis.months,
                standardised_by=standardised_by(m.analysis.spread),
            )
            for m in report.measures
        ],
        figures=[FigurePublic(**asdict(row)) for row in figures(report)],
        published_outcomes=PublishedOutcomesPublic.model_validate(
            outcomes_section(report, outcomes)
        )
        if outcomes
        else None,
    )
