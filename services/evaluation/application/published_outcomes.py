"""Published results as baselines and outcomes: importing the DfE's KS2 file, choosing which
measures a programme is judged on, matching its comparison group on them, and the analysis."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.evaluation.application.programmes import load, participants
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.analysis import Cohorts
from services.evaluation.domain.ks2_file import read_ks2_file
from services.evaluation.domain.outcome_analysis import (
    OutcomeAnalysis,
    TrackedMeasure,
    analyse_outcomes,
)
from services.evaluation.domain.outcome_claims import Claims, claims
from services.evaluation.domain.outcome_matching import OutcomeMatch, Profile, match_on_profiles
from services.evaluation.domain.outcome_years import (
    matched_on_a_year_it_ran_in,
    set_aside_summary,
    why_set_aside,
)
from services.evaluation.domain.programme import Programme
from services.evaluation.domain.published_results import PublishedMeasure
from shared.bus import Command
from shared.errors import Invalid


@dataclass(frozen=True)
class Imported:
    results: int
    schools: int


@dataclass(frozen=True)
class ImportKs2File(Command["Imported"]):
    text: str
    year: int


@dataclass(frozen=True)
class TrackMeasures(Command["tuple[TrackedMeasure, ...]"]):
    programme_id: UUID
    tracked: tuple[TrackedMeasure, ...]


@dataclass(frozen=True)
class MatchOnOutcomes(Command["list[OutcomeMatch]"]):
    programme_id: UUID
    baseline_year: int
    per_participant: int


async def import_ks2_file(command: ImportKs2File, *, uow: EvaluationUnitOfWork) -> Imported:
    """Every row or none: a bad row refuses the whole file."""
    year = command.year
    results = read_ks2_file(command.text, year=year)
    await uow.published.put(results)
    uow.audit(
        "published_results.imported",
        object_type="published_results",
        object_id=f"ks2-{year}",
        summary=f"{len(results)} KS2 results",
    )
    return Imported(len(results), len({r.urn for r in results}))


async def track_measures(
    command: TrackMeasures, *, uow: EvaluationUnitOfWork
) -> tuple[TrackedMeasure, ...]:
    programme_id, tracked = command.programme_id, command.tracked
    programme = await load(uow, programme_id, for_update=True)
    if len({t.measure for t in tracked}) < len(tracked):
        raise Invalid("each measure may be tracked once", field="measures")
    for measure in tracked:
        programme.require_baseline_before(measure.baseline_year)
        programme.require_outcome_after(measure.outcome_year)
    await uow.published.track(programme_id, list(tracked))
    uow.audit(
        "programme.measures_tracked",
        object_type="programme",
        object_id=programme_id,
        summary=", ".join(str(t.measure) for t in tracked),
    )
    return tracked


async def match_on_outcomes(
    command: MatchOnOutcomes, *, uow: EvaluationUnitOfWork
) -> list[OutcomeMatch]:
    """Comparison schools of the participants' phase, nearest in pupils on roll, share of
    disadvantaged pupils and the baseline year's reading, writing and maths result."""
    programme_id, baseline_year = command.programme_id, command.baseline_year
    programme = await load(uow, programme_id, for_update=True)
    programme.require_baseline_before(baseline_year)
    taking_part = {p.urn for p in await participants(uow, programme)}
    if not taking_part:
        raise Invalid("no school takes part yet: there is nobody to match")
    register = {s.urn: s for s in await uow.schools.find()}
    phases = {register[urn].phase for urn in taking_part if urn in register}
    published = await uow.published.of(
        measures=(PublishedMeasure.RWM_EXPECTED, PublishedMeasure.DISADVANTAGED),
        years=(baseline_year,),
    )
    values = {(r.urn, r.measure): r.value for r in published if r.value is not None}
    special = {r.urn for r in published if r.mainstream is False}
    profiles = [
        Profile(urn, school.pupils, disadvantaged, baseline, mainstream=urn not in special)
        for urn, school in register.items()
        if school.phase in phases
        and school.pupils
        and (disadvantaged := values.get((urn, PublishedMeasure.DISADVANTAGED))) is not None
        and (baseline := values.get((urn, PublishedMeasure.RWM_EXPECTED))) is not None
    ]
    matchable = [p for p in profiles if p.urn in taking_part]
    if not matchable:
        raise Invalid(f"no participating school has {baseline_year} results to match on")
    matches = match_on_profiles(
        matchable,
        [p for p in profiles if p.urn not in taking_part],
        per_participant=command.per_participant,
    )
    if not matches:
        raise Invalid(f"no school like the participants has {baseline_year} results to match")
    programme.choose_comparison(
        tuple(m.comparison for m in matches), participants=taking_part, matched=True
    )
    await uow.programmes.save_comparison(programme)
    await uow.published.save_matches(programme_id, matches, baseline_year=baseline_year)
    uow.audit(
        "programme.comparison_chosen",
        object_type="programme",
        object_id=programme_id,
        summary=f"{len(matches)} matched on {baseline_year} outcomes",
    )
    return matches


@dataclass(frozen=True)
class OutcomesReport:
    analyses: list[OutcomeAnalysis]
    matches: list[OutcomeMatch]
    matched_on: str | None
    claims: Claims
    warnings: tuple[str, ...] = ()  # what a reader must know before the figures


async def analyse_published_outcomes(
    uow: EvaluationUnitOfWork, programme: Programme, cohorts: Cohorts
) -> OutcomesReport | None:
    tracked = await uow.published.tracked(programme.id)
    if not tracked:
        return None
    matches, baseline_year = await uow.published.matches(programme.id)
    matched_on = None
    if matches and {m.comparison for m in matches} == set(programme.comparison_urns):
        matched_on = (
            "comparison schools matched on pupils on roll, disadvantaged pupils and "
            f"{baseline_year} reading, writing and maths results, not randomised"
        )
    results = await uow.published.of(
        measures={t.measure for t in tracked},
        years={year for t in tracked for year in (t.baseline_year, t.outcome_year)},
        urns=cohorts.participants | cohorts.comparison,
    )
    analyses = [
        analyse_outcomes(
            t,
            results,
            cohorts=cohorts,
            design_reason=matched_on,
            set_aside=why_set_aside(programme, t),
        )
        for t in tracked
    ]
    sizes = [r.cohort for r in results if r.value is not None and r.cohort]
    warnings = (
        set_aside_summary(analyses),
        matched_on_a_year_it_ran_in(programme, baseline_year if matched_on else None),
    )
    return OutcomesReport(
        analyses,
        matches,
        matched_on,
        claims(analyses, design=cohorts.design, smallest_cohort=min(sizes, default=None)),
        tuple(warning for warning in warnings if warning),
    )
