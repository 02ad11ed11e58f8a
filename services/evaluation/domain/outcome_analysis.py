"""One published measure of one programme analysed: both groups' baseline and outcome means,
the difference-in-differences with its standard error and interval, Hedges' g on the gains,
the padlocks, and how many schools of each group had usable data.

The DfE publishes school means, not pupils' spread: g here is over the spread of schools' gains,
so it is not converted into the EEF's months' progress."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from services.evaluation.domain.analysis import Cohorts
from services.evaluation.domain.difference_in_differences import (
    DifferenceInDifferences,
    GroupGains,
    SchoolChange,
    difference_in_differences,
    standardised_gain_difference,
    weighted_gain,
)
from services.evaluation.domain.effect_size import EffectSize
from services.evaluation.domain.measure import Group
from services.evaluation.domain.months_progress import Spread, months_over
from services.evaluation.domain.padlocks import (
    Evidence,
    PadlockLost,
    SecurityRating,
    security_rating,
)
from services.evaluation.domain.published_results import PublishedMeasure, PublishedResult
from shared.errors import Invalid


@dataclass(frozen=True)
class TrackedMeasure:
    """A published measure a programme is judged on, from a baseline year to an outcome year."""

    measure: PublishedMeasure
    baseline_year: int
    outcome_year: int

    def __post_init__(self) -> None:
        if self.outcome_year <= self.baseline_year:
            raise Invalid(
                "the outcome year must come after the baseline year", field="outcome_year"
            )


@dataclass(frozen=True)
class Coverage:
    """How many of a group's schools could be used, and why the others could not."""

    schools: int
    usable: int
    withheld: int  # a figure suppressed by the DfE (small cohort, no entries, …)
    absent: int  # no result published under this URN for one of the years
    # both years' results published, but no cohort size (TELIG) for the outcome year: the
    # estimate weights each school by that cohort, so it cannot count this one
    no_cohort: int = 0


@dataclass(frozen=True)
class GroupOutcome:
    group: Group
    coverage: Coverage
    gains: GroupGains | None
    not_calculable: str | None = None  # why its gains could not be worked out, if arithmetic


@dataclass(frozen=True)
class OutcomeAnalysis:
    tracked: TrackedMeasure
    groups: tuple[GroupOutcome, GroupOutcome]
    did: DifferenceInDifferences | None
    effect: EffectSize | None
    spread: Spread
    months: int | None
    security: SecurityRating
    notes: tuple[str, ...]
    not_calculable: str | None = None  # why there is no estimate, when not for want of schools
    # why its years cannot judge the programme (tracked before such years were refused): its
    # means are shown, but no estimate, effect size or padlock
    set_aside: str | None = None


TOO_FEW = "each group needs at least two schools with both years' results"


def cannot_be_calculated(error: ArithmeticError) -> str:
    """What the report says of a figure degenerate results leave uncalculated: schools' gains all
    but identical within the groups, say, make the standardised difference overflow. That figure
    is missing, saying why, and the rest of the report stands."""
    why = (
        "it would divide by zero"
        if isinstance(error, ZeroDivisionError)
        else "a number in the working is too large to hold"
    )
    return f"cannot be calculated: {why} (the schools' gains may show almost no spread)"


def analyse_outcomes(
    tracked: TrackedMeasure,
    results: list[PublishedResult],
    *,
    cohorts: Cohorts,
    design_reason: str | None = None,
    set_aside: str | None = None,
) -> OutcomeAnalysis:
    participants, comparison = cohorts.participants, cohorts.comparison
    found = {(r.urn, r.year): r for r in results if r.measure is tracked.measure}
    participant = _group(Group.PARTICIPANT, participants, found, tracked)
    compared = _group(Group.COMPARISON, comparison, found, tracked)
    if set_aside:
        return _set_aside(tracked, (participant, compared), set_aside)
    notes: list[str] = []
    did = effect = None
    not_calculable = participant.not_calculable or compared.not_calculable
    if participant.gains and compared.gains:
        try:
            did = difference_in_differences(participant.gains.gain, compared.gains.gain)
        except ArithmeticError as error:
            not_calculable = cannot_be_calculated(error)
        else:
            effect = _standardised(participant.gains, compared.gains, did, notes)
    if did is None:
        notes.append(f"no estimate: {not_calculable or TOO_FEW}")
    notes += [_no_cohort_note(g, tracked) for g in (participant, compared) if g.coverage.no_cohort]
    usable = (participant.coverage.usable, compared.coverage.usable)
    security = security_rating(
        Evidence(
            design=cohorts.design,
            treatment_schools=usable[0],
            comparison_schools=usable[1],
            pupils=sum(g.gains.pupils for g in (participant, compared) if g.gains) or None,
            attrition=_attrition(found, participants | comparison, tracked),
            baseline_difference=_baseline_gap(found, participants, comparison, tracked),
            design_reason=design_reason,
        )
    )
    return OutcomeAnalysis(
        tracked=tracked,
        groups=(participant, compared),
        did=did,
        effect=effect,
        spread=Spread.SCHOOLS,
        months=months_over(effect.hedges_g, Spread.SCHOOLS) if effect else None,
        security=security,
        notes=tuple(notes),
        not_calculable=not_calculable,
    )


def _set_aside(
    tracked: TrackedMeasure, groups: tuple[GroupOutcome, GroupOutcome], why: str
) -> OutcomeAnalysis:
    """The groups' means as published, and no estimate from them."""
    return OutcomeAnalysis(
        tracked=tracked,
        groups=groups,
        did=None,
        effect=None,
        spread=Spread.SCHOOLS,
        months=None,
        security=SecurityRating(0, (PadlockLost("years", 0, why),), None),
        notes=(f"set aside from the estimates: {why}",),
        set_aside=why,
    )


def _standardised(
    participant: GroupGains,
    compared: GroupGains,
    estimate: DifferenceInDifferences,
    notes: list[str],
) -> EffectSize | None:
    try:
        return standardised_gain_difference(participant, compared, estimate)
    except Invalid as error:
        notes.append(f"no standardised effect: {error.message}")
    except ArithmeticError as error:
        notes.append(f"no standardised effect: {cannot_be_calculated(error)}")
    return None


Found = dict[tuple[int, int], PublishedResult]


def _group(
    group: Group, urns: frozenset[int], found: Found, tracked: TrackedMeasure
) -> GroupOutcome:
    changes: list[SchoolChange] = []
    withheld = absent = no_cohort = 0
    for urn in sorted(urns):
        before = found.get((urn, tracked.baseline_year))
        after = found.get((urn, tracked.outcome_year))
        if before and after and before.value is not None and after.value is not None:
            if after.cohort:
                changes.append(SchoolChange(urn, before.value, after.value, after.cohort))
            else:
                no_cohort += 1
        elif (before and before.marker) or (after and after.marker):
            withheld += 1
        else:
            absent += 1
    coverage = Coverage(len(urns), len(changes), withheld, absent, no_cohort)
    try:
        return GroupOutcome(group, coverage, weighted_gain(changes))
    except Invalid:  # too few schools: the analysis says so once, for both groups
        return GroupOutcome(group, coverage, None)
    except ArithmeticError as error:
        return GroupOutcome(group, coverage, None, cannot_be_calculated(error))


def _no_cohort_note(outcome: GroupOutcome, tracked: TrackedMeasure) -> str:
    """'1 participant school with both years' results has no cohort size published for 2025:
    left out of the estimate, which weights each school by its cohort'."""
    count = outcome.coverage.no_cohort
    schools, has = ("school", "has") if count == 1 else ("schools", "have")
    return (
        f"{count} {outcome.group} {schools} with both years' results {has} no cohort size "
        f"published for {tracked.outcome_year}: left out of the estimate, which weights each "
        "school by its cohort"
    )


def _attrition(found: Found, urns: frozenset[int], tracked: TrackedMeasure) -> float:
    with_baseline = [u for u in urns if _value(found, u, tracked.baseline_year) is not None]
    lost = [u for u in with_baseline if _value(found, u, tracked.outcome_year) is None]
    return len(lost) / len(with_baseline) if with_baseline else 0.0


def _baseline_gap(
    found: Found, participants: frozenset[int], comparison: frozenset[int], tracked: TrackedMeasure
) -> float | None:
    """The groups' difference at baseline in pooled school-level SDs (unweighted)."""
    columns = [
        [v for u in urns if (v := _value(found, u, tracked.baseline_year)) is not None]
        for urns in (participants, comparison)
    ]
    if any(len(column) < 2 for column in columns):
        return None
    first, second = columns
    pooled = (
        (
            (len(first) - 1) * statistics.variance(first)
            + (len(second) - 1) * statistics.variance(second)
        )
        / (len(first) + len(second) - 2)
    ) ** 0.5
    return (statistics.fmean(first) - statistics.fmean(second)) / pooled if pooled > 0 else None


def _value(found: Found, urn: int, year: int) -> float | None:
    result = found.get((urn, year))
    return result.value if result else None
