"""Every figure of a programme report, each with the method beside it: the page and the CSV
are two views of this one list."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import partial
from uuid import UUID

from services.evaluation.application.analysis import MeasureReport, ProgrammeReport
from services.evaluation.domain.months_progress import NOT_CONVERTED, Spread
from shared.api.evaluation import StandardisedBy
from shared.spreadsheet_text import inert_cell

CI_METHOD = "95% CI: g ± 1.96 × SE(g), SE from Borenstein et al. (2009) eq. 4.20 and 4.24"
MONTHS_METHOD = "EEF Toolkit conversion of g, for a g over the spread of pupils' results"
N_METHODS = {
    "schools": "schools whose own values make the mean and SD",
    "pupils": "pupils the reported group summary is of",
}
SD_METHODS = {  # worked out here from schools' own values, or taken as the summary gave it
    "schools": "sample SD (n − 1)",
    "pupils": "as reported with the group summary",
}
COST_METHOD = (
    "sum of the ledger's postings for the linked services (income) and linked cases' "
    "deployments (provider cost)"
)


@dataclass(frozen=True)
class Figure:
    measure: str
    figure: str
    value: float | int | str | None
    method: str
    measure_id: UUID | None = None  # None for the programme as a whole and published outcomes


def figures(report: ProgrammeReport) -> list[Figure]:
    ready, cohorts = report.readiness, report.cohorts
    rows = [
        Figure(
            "",
            "can it show impact?",
            "yes" if ready.can_show_impact else "not yet",
            "; ".join(ready.reasons) or "schools take part, measures have baselines, comparison",
        ),
        Figure(
            "",
            "participating schools",
            len(report.participants),
            "orders paid or invoiced (not cancelled) for linked services; completed deployments "
            "under linked cases",
        ),
        Figure(
            "",
            "comparison schools",
            len(cohorts.comparison),
            f"design: {cohorts.design.value}; a school that takes part is never compared",
        ),
    ]
    if cohorts.left_out_note:
        rows.append(
            Figure("", "comparison schools left out", len(cohorts.left_out), cohorts.left_out_note)
        )
    rows += [
        Figure("", "cost (pence)", report.cost_pence, COST_METHOD),
        Figure("", "pupils reached", report.pupils_reached, "pupils on roll, schools register"),
    ]
    for measure in report.measures:
        rows += _measure_figures(measure)
    return rows


def _measure_figures(report: MeasureReport) -> list[Figure]:
    figure = partial(Figure, report.measure.name, measure_id=report.measure.id)
    analysis = report.analysis
    rows: list[Figure] = []
    for change in analysis.changes:
        group = change.group.value
        for stage, summary, counts in (
            ("baseline", change.baseline, change.baseline_n_counts),
            ("outcome", change.outcome, change.outcome_n_counts),
        ):
            if summary and counts:
                rows += [
                    figure(f"{group} {stage} mean", summary.mean, "mean"),
                    figure(f"{group} {stage} SD", summary.sd, SD_METHODS[counts]),
                    figure(f"{group} {stage} {counts}", summary.n, N_METHODS[counts]),
                ]
        rows.append(figure(f"{group} change from baseline", change.change, change.method))
    effect = analysis.effect
    if effect:
        rows += [
            figure("difference", effect.difference, effect.method),
            figure("Cohen's d", effect.cohens_d, effect.method),
            figure(
                "Hedges' g",
                effect.hedges_g,
                f"d × J, J = 1 − 3/(4(n1 + n2) − 9); over {analysis.spread}",
            ),
            figure("standard error of g", effect.standard_error, CI_METHOD),
            figure("95% CI low", effect.ci_low, CI_METHOD),
            figure("95% CI high", effect.ci_high, CI_METHOD),
            figure("months' progress", months_shown(analysis.months), MONTHS_METHOD),
        ]
    rows += [figure("note", note, "") for note in analysis.notes]
    security = analysis.security
    rows.append(
        figure("padlocks", security.padlocks, "weakest of design, size, attrition; balance")
    )
    rows += [
        figure(f"padlock lost: {lost.criterion}", lost.allows, lost.reason)
        for lost in security.lost
    ]
    value = report.value
    rows += [
        figure("cost per pupil (pence)", value.cost_per_pupil_pence, "cost ÷ pupils reached"),
        figure(
            "impact per £1,000 per pupil",
            value.impact_per_1000_pounds_per_pupil,
            "Hedges' g ÷ (cost per pupil in £1,000s)",
        ),
    ]
    return rows


def months_shown(months: int | None) -> int | str:
    """A g that has no months (over the spread between schools) says why."""
    return NOT_CONVERTED if months is None else months


STANDARDISED_BY = {Spread.PUPILS: StandardisedBy.PUPILS, Spread.SCHOOLS: StandardisedBy.SCHOOLS}


def standardised_by(spread: Spread | None) -> StandardisedBy | None:
    """The API's word for what an effect size was divided by."""
    return None if spread is None else STANDARDISED_BY[spread]


def as_csv(report: ProgrammeReport, extra: list[Figure] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["programme", "measure", "figure", "value", "method"])
    for row in [*figures(report), *(extra or [])]:
        cells = [report.programme.title, row.measure, row.figure, row.value, row.method]
        writer.writerow([inert_cell(cell) for cell in cells])
    return out.getvalue()
