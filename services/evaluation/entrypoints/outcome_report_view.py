"""The report's section on published outcomes (KS2): per measure both groups' means, the
difference-in-differences, Hedges' g on the gains (over the spread between schools, so with no
months' progress), padlocks and value for money, each figure with its method; and what the
report can and cannot claim."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from services.evaluation.application.analysis import ProgrammeReport
from services.evaluation.application.published_outcomes import OutcomesReport
from services.evaluation.domain.cost import value_for_money
from services.evaluation.domain.months_progress import NOT_CONVERTED
from services.evaluation.domain.outcome_analysis import OutcomeAnalysis
from services.evaluation.domain.published_results import MEASURE_NAMES
from services.evaluation.entrypoints.report_view import (
    MONTHS_METHOD,
    Figure,
    months_shown,
    standardised_by,
)

DID_METHOD = (
    "difference-in-differences: participants' mean gain − comparison schools' mean gain, "
    "schools as the unit, each weighted by its KS2 cohort in the outcome year"
)
SE_METHOD = (
    "√(SE₁² + SE₂²), each group's SE from the spread of its schools' gains "
    "(n/(n−1) Σ pᵢ²(gᵢ − ḡ)², pᵢ = cohort share)"
)
CI_METHOD = "estimate ± t(0.975, Welch–Satterthwaite df) × SE"
NO_COHORT_METHOD = (
    "both years' results published, but no KS2 cohort (TELIG) for the outcome year: left out "
    "of the estimate, which weights each school by its cohort"
)


def outcomes_section(report: ProgrammeReport, outcomes: OutcomesReport) -> dict[str, Any]:
    return {
        "matched_on": outcomes.matched_on,
        "matches": [asdict(m) for m in outcomes.matches],
        "can_claim": list(outcomes.claims.can),
        "cannot_claim": list(outcomes.claims.cannot),
        "measures": [_measure(report, analysis) for analysis in outcomes.analyses],
        "warnings": list(outcomes.warnings),
    }


def _measure(report: ProgrammeReport, analysis: OutcomeAnalysis) -> dict[str, Any]:
    effect = analysis.effect
    value = value_for_money(
        cost_pence=report.cost_pence,
        pupils=report.pupils_reached,
        effect_size=effect.hedges_g if effect else None,
    )
    return {
        "measure": analysis.tracked.measure.value,
        "name": MEASURE_NAMES[analysis.tracked.measure],
        "baseline_year": analysis.tracked.baseline_year,
        "outcome_year": analysis.tracked.outcome_year,
        "groups": [
            {
                "group": g.group.value,
                "schools": g.coverage.schools,
                "usable": g.coverage.usable,
                "suppressed": g.coverage.withheld,
                "not_published": g.coverage.absent,
                "no_cohort_size": g.coverage.no_cohort,
                "pupils": g.gains.pupils if g.gains else None,
                "baseline_mean": g.gains.baseline_mean if g.gains else None,
                "outcome_mean": g.gains.outcome_mean if g.gains else None,
                "mean_gain": g.gains.gain.mean if g.gains else None,
                "gain_standard_error": g.gains.gain.standard_error if g.gains else None,
            }
            for g in analysis.groups
        ],
        "difference_in_differences": asdict(analysis.did) if analysis.did else None,
        "hedges_g": effect.hedges_g if effect else None,
        "hedges_g_ci": [effect.ci_low, effect.ci_high] if effect else None,
        "months_progress": analysis.months,
        "standardised_by": standardised_by(analysis.spread),
        "padlocks": analysis.security.padlocks,
        "padlocks_lost": [asdict(lost) for lost in analysis.security.lost],
        "cost_per_pupil_pence": value.cost_per_pupil_pence,
        "impact_per_1000_pounds_per_pupil": value.impact_per_1000_pounds_per_pupil,
        "notes": [*analysis.notes, *_not_converted(analysis)],
        "methods": {"difference": DID_METHOD, "standard_error": SE_METHOD, "interval": CI_METHOD},
        "set_aside": analysis.set_aside,
    }


def _not_converted(analysis: OutcomeAnalysis) -> list[str]:
    return (
        [f"months' progress {NOT_CONVERTED}"] if analysis.effect and analysis.months is None else []
    )


def outcome_figures(report: ProgrammeReport, outcomes: OutcomesReport) -> list[Figure]:
    """The same section as rows for the report's CSV."""
    rows = [Figure("", "warning", text, "") for text in outcomes.warnings]
    for analysis in outcomes.analyses:
        section = _measure(report, analysis)
        name = f"{section['name']} ({section['baseline_year']}→{section['outcome_year']})"
        if analysis.set_aside:
            rows.append(Figure(name, "set aside from the estimates", analysis.set_aside, ""))
        for group in section["groups"]:
            who = group["group"]
            rows += [
                Figure(
                    name,
                    f"{who} schools with usable data",
                    group["usable"],
                    "of " + str(group["schools"]),
                ),
                Figure(
                    name,
                    f"{who} schools suppressed",
                    group["suppressed"],
                    "DfE markers such as SUPP",
                ),
                Figure(
                    name,
                    f"{who} schools with no result published",
                    group["not_published"],
                    "no result under the school's URN for one year or both",
                ),
                Figure(
                    name,
                    f"{who} schools with no cohort size published",
                    group["no_cohort_size"],
                    NO_COHORT_METHOD,
                ),
                Figure(name, f"{who} baseline mean", group["baseline_mean"], "cohort-weighted"),
                Figure(name, f"{who} outcome mean", group["outcome_mean"], "cohort-weighted"),
            ]
        did = section["difference_in_differences"]
        if did:
            rows += [
                Figure(name, "difference-in-differences", did["estimate"], DID_METHOD),
                Figure(name, "standard error", did["standard_error"], SE_METHOD),
                Figure(name, "95% CI low", did["ci_low"], CI_METHOD),
                Figure(name, "95% CI high", did["ci_high"], CI_METHOD),
            ]
        rows += [
            Figure(
                name,
                "Hedges' g on the gains",
                section["hedges_g"],
                f"over {analysis.spread}: the pooled SD of schools' gains",
            ),
        ]
        if section["hedges_g"] is not None:
            rows.append(
                Figure(
                    name,
                    "months' progress",
                    months_shown(section["months_progress"]),
                    MONTHS_METHOD,
                )
            )
        rows += [
            Figure(
                name, "padlocks", section["padlocks"], "weakest of design, size, attrition; balance"
            ),
        ]
        rows += [
            Figure(name, f"padlock lost: {lost['criterion']}", lost["allows"], lost["reason"])
            for lost in section["padlocks_lost"]
        ]
        rows += [
            Figure(
                name,
                "cost per pupil (pence)",
                section["cost_per_pupil_pence"],
                "cost ÷ pupils reached",
            ),
            Figure(
                name,
                "impact per £1,000 per pupil",
                section["impact_per_1000_pounds_per_pupil"],
                "Hedges' g ÷ (cost per pupil in £1,000s)",
            ),
        ]
    rows += [Figure("", "can claim", text, "") for text in outcomes.claims.can]
    rows += [Figure("", "cannot claim", text, "") for text in outcomes.claims.cannot]
    return rows
