"""What an evaluation on published school-level results can claim, and what it cannot: said on
the report itself, beside the figures, so that nobody reads more into them than they hold."""

from __future__ import annotations

from dataclasses import dataclass

from services.evaluation.domain.measure import Group
from services.evaluation.domain.outcome_analysis import OutcomeAnalysis
from services.evaluation.domain.padlocks import Design
from services.evaluation.domain.published_results import MEASURE_NAMES

SMALL_COHORT = 20  # below this, one pupil moves a school's percentage by five points or more


@dataclass(frozen=True)
class Claims:
    can: tuple[str, ...]
    cannot: tuple[str, ...]


def claims(
    analyses: list[OutcomeAnalysis], *, design: Design, smallest_cohort: int | None
) -> Claims:
    can: list[str] = []
    cannot: list[str] = []
    for analysis in analyses:
        name = MEASURE_NAMES[analysis.tracked.measure]
        years = f"{analysis.tracked.baseline_year} to {analysis.tracked.outcome_year}"
        if analysis.set_aside:
            cannot.append(f"{name}: no estimate for {years} — {analysis.set_aside}.")
        elif analysis.did is None and analysis.not_calculable:
            cannot.append(f"{name}: no estimate for {years} — it {analysis.not_calculable}.")
        elif analysis.did is None:
            cannot.append(f"{name}: no estimate — too few schools had results for {years}.")
        elif analysis.did.ci_low > 0 or analysis.did.ci_high < 0:
            can.append(
                f"{name}: the participating schools' change from {years} differed from the "
                "comparison schools' by more than chance alone would easily explain "
                "(the 95% interval excludes zero)."
            )
        else:
            can.append(
                f"{name}: how the participating schools' results changed from {years} beside "
                "the comparison schools' change; the difference could be chance "
                "(the 95% interval includes zero)."
            )
    if design is Design.MATCHED:
        cannot.append(
            "That the programme caused the difference. Schools chose to take part and were "
            "compared with schools matched to them, not assigned at random: whatever the "
            "matching missed (leadership, staffing, other support) may explain it."
        )
    elif design is not Design.RANDOMISED:
        cannot.append("That the programme caused the difference: the comparison is not matched.")
    cannot.append(
        "Anything about individual pupils. These are the DfE's school-level percentages and "
        "averages; each school counts once, weighted by its KS2 cohort."
    )
    if smallest_cohort is not None and smallest_cohort < SMALL_COHORT:
        cannot.append(
            f"A precise figure for any one school: small cohorts are noisy (the smallest here is "
            f"{smallest_cohort} pupils, where one pupil moves the percentage by "
            f"{100 / smallest_cohort:.0f} points)."
        )
    cannot.append(
        "A result comparable with pupil-level effect sizes such as the EEF Toolkit's: Hedges' g "
        "here is standardised by the spread of schools' gains, so it is not converted into "
        "months' progress."
    )
    unlike = [
        MEASURE_NAMES[a.tracked.measure]
        for a in analyses
        if any(lost.criterion == "baseline balance" for lost in a.security.lost)
    ]
    if unlike:
        cannot.append(
            f"That the groups started alike ({', '.join(unlike)}): they differed at baseline, "
            "and schools far from the average one year tend to move back towards it the next "
            "(regression to the mean), whatever support they had."
        )
    left_out = _left_out(analyses)
    if left_out:
        cannot.append(
            f"Anything about the schools left out ({left_out}): if they differ from the others, "
            "the estimate is biased."
        )
    return Claims(tuple(can), tuple(cannot))


def _left_out(analyses: list[OutcomeAnalysis]) -> str:
    parts = []
    for analysis in analyses:
        for outcome in analysis.groups:
            who = "participating" if outcome.group is Group.PARTICIPANT else "comparison"
            coverage = outcome.coverage
            if coverage.withheld or coverage.absent or coverage.no_cohort:
                no_cohort = (
                    f", {coverage.no_cohort} with no cohort size published"
                    if coverage.no_cohort
                    else ""
                )
                parts.append(
                    f"{MEASURE_NAMES[analysis.tracked.measure]}: {who} schools, "
                    f"{coverage.withheld} suppressed and {coverage.absent} with no published "
                    f"result{no_cohort}"
                )
    return "; ".join(parts)
