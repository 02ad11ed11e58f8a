"""One measure of one programme analysed: change from baseline for each group, the effect size
with its method and what it is standardised by, months' progress and how far the finding can
be trusted.

Uploaded school-level values give an effect over the spread between schools, which the EEF's
months do not convert; reported group summaries carry pupils' SDs, which they do."""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from services.evaluation.domain.effect_size import (
    EffectSize,
    GroupSummary,
    baseline_adjusted,
    difference_in_gains,
    pooled_sd,
)
from services.evaluation.domain.measure import Group, Results, Stage
from services.evaluation.domain.months_progress import Spread, months_over
from services.evaluation.domain.padlocks import Design, Evidence, SecurityRating, security_rating
from services.evaluation.domain.programme import Programme
from shared.errors import Invalid


@dataclass(frozen=True)
class GroupChange:
    group: Group
    baseline: GroupSummary | None
    outcome: GroupSummary | None
    change: float | None
    method: str
    # what each summary's n counts: "schools" (their own values) or "pupils" (a reported one)
    baseline_n_counts: str | None = None
    outcome_n_counts: str | None = None


@dataclass(frozen=True)
class MeasureAnalysis:
    changes: tuple[GroupChange, ...]
    effect: EffectSize | None
    spread: Spread | None  # what the effect size was divided by
    months: int | None
    security: SecurityRating
    notes: tuple[str, ...]
    pupils: int | None


@dataclass(frozen=True)
class Cohorts:
    participants: frozenset[int]
    comparison: frozenset[int]
    design: Design
    left_out: frozenset[int] = frozenset()  # chosen for comparison, but they took part since

    def __post_init__(self) -> None:
        both = sorted(self.participants & self.comparison)
        if both:
            raise Invalid(f"schools {both} cannot be in both groups", field="comparison")

    @classmethod
    def of(cls, programme: Programme, taking_part: Iterable[int]) -> Cohorts:
        """The groups every analysis compares. A school that takes part is a participant, even
        if it was chosen for the comparison group before it took part: counted in both groups,
        it would cancel part of the difference it makes."""
        participants = frozenset(taking_part)
        chosen = frozenset(programme.comparison_urns)
        comparison = chosen - participants
        return cls(
            participants=participants,
            comparison=comparison,
            design=programme.design if comparison else Design.NONE,
            left_out=chosen & participants,
        )

    @property
    def left_out_note(self) -> str | None:
        """'1 comparison school left out: it took part since (117083)'."""
        if not self.left_out:
            return None
        count = len(self.left_out)
        schools, they = ("school", "it") if count == 1 else ("schools", "they")
        urns = ", ".join(str(urn) for urn in sorted(self.left_out))
        return (
            f"{count} comparison {schools} left out: {they} took part since ({urns}), "
            "so counted as taking part only"
        )


SCHOOL_VALUES, REPORTED_SUMMARY = "school-level values", "reported group summary"
# what a summary's n counts: schools' own values summarised, or the pupils a summary reports
COUNTED = {SCHOOL_VALUES: "schools", REPORTED_SUMMARY: "pupils"}
# An overflow or a division by zero in one measure's arithmetic (a standard deviation stored
# before it had a least value, say) leaves that measure without an effect, and the report whole.
NOT_COMPUTABLE = (
    "no effect size: it cannot be computed from these figures (a standard deviation may be far "
    "too small)"
)


def analyse(results: Results, cohorts: Cohorts) -> MeasureAnalysis:
    values = _school_values(results, cohorts)
    notes: list[str] = []
    summaries = {
        (group, stage): _summary(results, values, group, stage)
        for group in Group
        for stage in Stage
    }
    changes = tuple(_change(group, summaries, values) for group in Group)
    found = _effect(values, summaries, notes) if _has_both_groups(cohorts, notes) else None
    effect, spread, months = found or (None, None, None)
    base_t = summaries[Group.PARTICIPANT, Stage.BASELINE]
    base_c = summaries[Group.COMPARISON, Stage.BASELINE]
    used = {group: _schools_used(values, summaries, group) for group in Group}
    pupils = _pupils(results, used)
    attrition, attrition_of = _attrition(values, summaries)
    security = security_rating(
        Evidence(
            design=cohorts.design,
            treatment_schools=_count(used[Group.PARTICIPANT], cohorts.participants),
            comparison_schools=_count(used[Group.COMPARISON], cohorts.comparison),
            pupils=pupils,
            attrition=attrition,
            attrition_of=attrition_of,
            baseline_difference=_baseline_gap(base_t, base_c),
        )
    )
    return MeasureAnalysis(
        changes=changes,
        effect=effect,
        spread=spread,
        months=months,
        security=security,
        notes=tuple(notes),
        pupils=pupils,
    )


SchoolValues = dict[tuple[Group, Stage], dict[int, float]]


def _school_values(results: Results, cohorts: Cohorts) -> SchoolValues:
    values: SchoolValues = {(g, s): {} for g in Group for s in Stage}
    for result in results.schools:
        group = Group.PARTICIPANT if result.urn in cohorts.participants else Group.COMPARISON
        if result.urn in cohorts.participants or result.urn in cohorts.comparison:
            values[group, result.stage][result.urn] = result.value
    return values


def _summary(
    results: Results, values: SchoolValues, group: Group, stage: Stage
) -> tuple[GroupSummary, str] | None:
    by_school = list(values[group, stage].values())
    if len(by_school) >= 2:
        return GroupSummary.of(by_school), SCHOOL_VALUES
    reported = [r for r in results.groups if r.group is group and r.stage is stage]
    if reported:
        r = reported[-1]
        return GroupSummary(r.mean, r.sd, r.n), REPORTED_SUMMARY
    return None


def _change(
    group: Group,
    summaries: dict[tuple[Group, Stage], tuple[GroupSummary, str] | None],
    values: SchoolValues,
) -> GroupChange:
    baseline = summaries[group, Stage.BASELINE]
    outcome = summaries[group, Stage.OUTCOME]
    change, method = _change_and_method(baseline, outcome, _pairs(values, group))
    return GroupChange(
        group,
        baseline and baseline[0],
        outcome and outcome[0],
        change,
        method,
        baseline_n_counts=baseline and COUNTED[baseline[1]],
        outcome_n_counts=outcome and COUNTED[outcome[1]],
    )


def _change_and_method(
    baseline: tuple[GroupSummary, str] | None,
    outcome: tuple[GroupSummary, str] | None,
    pairs: list[tuple[float, float]],
) -> tuple[float | None, str]:
    if baseline is None or outcome is None:
        return None, f"no {'baseline' if baseline is None else 'outcome'} yet"
    if baseline[1] == outcome[1] == SCHOOL_VALUES:
        return _each_schools_change(pairs)
    return outcome[0].mean - baseline[0].mean, f"mean outcome − mean baseline ({outcome[1]})"


def _each_schools_change(pairs: list[tuple[float, float]]) -> tuple[float | None, str]:
    """Each school's outcome less its own baseline, averaged: a school with a baseline and no
    outcome yet has no change to count, and its baseline alone would move the group's change
    by however far it sits from the others."""
    if not pairs:
        return None, "no school has both a baseline and an outcome yet"
    schools = f"{len(pairs)} school" + ("" if len(pairs) == 1 else "s")
    return (
        statistics.fmean(after - before for before, after in pairs),
        f"mean of each school's outcome − its own baseline, over the {schools} with both "
        f"({SCHOOL_VALUES})",
    )


def _effect(
    values: SchoolValues,
    summaries: dict[tuple[Group, Stage], tuple[GroupSummary, str] | None],
    notes: list[str],
) -> tuple[EffectSize, Spread, int | None] | None:
    """The effect, what it is standardised by, and its months' progress."""
    pairs = {group: _pairs(values, group) for group in Group}
    if all(len(p) >= 2 for p in pairs.values()):
        with contextlib.suppress(Invalid, ArithmeticError):
            adjusted = baseline_adjusted(pairs[Group.PARTICIPANT], pairs[Group.COMPARISON])
            return adjusted, Spread.SCHOOLS, None  # months are for pupils' spread only
    found = [summaries[g, s] for g in Group for s in Stage]
    if any(item is None for item in found):
        notes.append(
            "no effect size: baseline and outcome are needed for participants and comparison"
        )
        return None
    try:
        (base_t, out_t), (base_c, out_c) = (_gain_ends(g, summaries, pairs[g]) for g in Group)
    except Invalid as error:
        notes.append(f"no effect size: {error.message}")
        return None
    # the standardiser is the pooled baseline SD: pupils' only when both baselines are reported
    baselines = (summaries[g, Stage.BASELINE] for g in Group)
    over_pupils = all(item is not None and item[1] == REPORTED_SUMMARY for item in baselines)
    spread = Spread.PUPILS if over_pupils else Spread.SCHOOLS
    try:
        gains = difference_in_gains(
            treatment_baseline=base_t,
            treatment_outcome=out_t,
            comparison_baseline=base_c,
            comparison_outcome=out_c,
        )
        return gains, spread, months_over(gains.hedges_g, spread)
    except Invalid as error:
        notes.append(f"no effect size: {error.message}")
    except ArithmeticError:
        notes.append(NOT_COMPUTABLE)
    return None


def _gain_ends(
    group: Group,
    summaries: dict[tuple[Group, Stage], tuple[GroupSummary, str] | None],
    pairs: list[tuple[float, float]],
) -> tuple[GroupSummary, GroupSummary]:
    """A group's baseline and outcome for its gain. With school-level values at both, they are
    those of the schools that have both: a school with no outcome yet takes its baseline out
    with it, and a gain is never worked out between different schools."""
    baseline, outcome = summaries[group, Stage.BASELINE], summaries[group, Stage.OUTCOME]
    if baseline is None or outcome is None:
        raise Invalid(f"the {group} group needs a baseline and an outcome")
    if baseline[1] == outcome[1] == SCHOOL_VALUES:
        if len(pairs) < 2:
            raise Invalid(f"fewer than two {group} schools have both a baseline and an outcome")
        before, after = zip(*pairs, strict=True)
        return GroupSummary.of(before), GroupSummary.of(after)
    return baseline[0], outcome[0]


def _has_both_groups(cohorts: Cohorts, notes: list[str]) -> bool:
    """Results, even reported ones, say nothing of a programme no school takes part in."""
    if not cohorts.participants:
        notes.append("no effect size: no school takes part yet, so no result is the programme's")
    if not cohorts.comparison:
        notes.append("no effect size: no comparison group")
    return bool(cohorts.participants and cohorts.comparison)


def _pairs(values: SchoolValues, group: Group) -> list[tuple[float, float]]:
    baseline, outcome = values[group, Stage.BASELINE], values[group, Stage.OUTCOME]
    return [(baseline[urn], outcome[urn]) for urn in sorted(baseline.keys() & outcome.keys())]


def _schools_used(
    values: SchoolValues,
    summaries: dict[tuple[Group, Stage], tuple[GroupSummary, str] | None],
    group: Group,
) -> frozenset[int] | None:
    """The schools whose results entered the estimate, or None where a reported outcome summary
    stands for the whole group. With school-level values at both stages the estimate pairs each
    school's outcome with its own baseline, so a school with an outcome and no baseline is not
    among them; against a reported baseline, every school with an outcome is."""
    baseline, outcome = summaries[group, Stage.BASELINE], summaries[group, Stage.OUTCOME]
    if outcome is None:
        return frozenset()
    if outcome[1] == REPORTED_SUMMARY:
        return None
    with_outcome = values[group, Stage.OUTCOME].keys()
    if baseline is not None and baseline[1] == SCHOOL_VALUES:
        return frozenset(with_outcome & values[group, Stage.BASELINE].keys())
    return frozenset(with_outcome)


def _count(used: frozenset[int] | None, group: frozenset[int]) -> int:
    return len(group if used is None else used)


def _attrition(
    values: SchoolValues, summaries: dict[tuple[Group, Stage], tuple[GroupSummary, str] | None]
) -> tuple[float, str]:
    """The share lost, and of what: schools, or pupils where only group summaries say how many.
    Each share is one whole number over another, so that 40 lost of 200 is 20% exactly, not a
    hair under it (1 − 160/200 is 0.19999999999999996) in the band below."""
    with_baseline = sum(len(values[g, Stage.BASELINE]) for g in Group)
    if with_baseline:
        lost = sum(
            len(values[g, Stage.BASELINE].keys() - values[g, Stage.OUTCOME].keys()) for g in Group
        )
        return lost / with_baseline, "schools"
    n_before = sum(s[0].n for g in Group if (s := summaries[g, Stage.BASELINE]))
    n_after = sum(s[0].n for g in Group if (s := summaries[g, Stage.OUTCOME]))
    return (max(0, n_before - n_after) / n_before if n_before else 0.0), "pupils"


def _baseline_gap(
    participants: tuple[GroupSummary, str] | None, comparison: tuple[GroupSummary, str] | None
) -> float | None:
    if participants is None or comparison is None:
        return None
    try:
        sd = pooled_sd(participants[0], comparison[0])
        return (participants[0].mean - comparison[0].mean) / sd if sd > 0 else None
    except (Invalid, ArithmeticError):
        return None


def _pupils(results: Results, used: dict[Group, frozenset[int] | None]) -> int | None:
    """Pupils of the schools the estimate used, or the reported summaries' at outcome."""
    schools = frozenset().union(*(urns for urns in used.values() if urns))
    counted = [
        r.pupils
        for r in results.schools
        if r.stage is Stage.OUTCOME and r.pupils and r.urn in schools
    ]
    if counted:
        return sum(counted)
    reported = [r.n for r in results.groups if r.stage is Stage.OUTCOME]
    return sum(reported) or None
