"""Can a programme show impact? Said before it starts, while a baseline can still be taken,
with what it would need to; and said on its report from the same facts the report counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from services.evaluation.domain.analysis import Cohorts
from services.evaluation.domain.measure import Group, Measure

NEED_MEASURE = (
    "an outcome the programme aims to change, declared before it starts (for example the "
    "schools' published KS2 results)"
)
NEED_PARTICIPANTS = (
    "schools taking part: a paid or invoiced order for a linked service, or support completed "
    "under a linked case"
)
NEED_BASELINE = "each measure's baseline for every school, taken before the programme starts"
NEED_COMPARISON = (
    "a comparison group of similar schools that do not take part, matched on size, "
    "disadvantage and baseline"
)


@dataclass(frozen=True)
class Readiness:
    can_show_impact: bool
    started: bool
    reasons: tuple[str, ...]
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Baselines:
    """Whose baseline a measure holds: schools by their own value, groups by a summary."""

    urns: frozenset[int] = field(default_factory=frozenset)
    groups: frozenset[Group] = field(default_factory=frozenset)

    def summarise(self, group: Group, schools: frozenset[int]) -> bool:
        """Whether the analysis can summarise the group's baseline: from a reported summary,
        or from at least two of its schools' own values."""
        return group in self.groups or len(self.urns & schools) >= 2


GROUPS_NAMED = {
    Group.PARTICIPANT: "the schools taking part",
    Group.COMPARISON: "the comparison schools",
}


@dataclass(frozen=True)
class PublishedBaseline:
    """A tracked published measure, and the schools whose baseline year's result is held."""

    name: str
    baseline_year: int
    held: frozenset[int]


def impact_readiness(
    *,
    starts_on: date,
    today: date,
    cohorts: Cohorts,
    measures: list[Measure],
    baselines: Mapping[str, Baselines],
    published: tuple[PublishedBaseline, ...] = (),
) -> Readiness:
    """`baselines`: by measure id, whose baseline each holds (a measure with none is absent)."""
    reasons: list[str] = []
    needs: list[str] = []
    if not cohorts.participants:
        reasons.append(
            "no school takes part yet: schools join when an order for a linked service is paid "
            "or invoiced, or support under a linked case is completed"
        )
        needs.append(NEED_PARTICIPANTS)
    unmeasured: list[str] = []
    if not measures and not published:
        unmeasured.append("no outcome measure is declared")
        needs.append(NEED_MEASURE)
    unmeasured += [gap for m in measures for gap in _baseline_gaps(m, baselines, cohorts)]
    unmeasured += [gap for p in published for gap in _published_gaps(p, cohorts)]
    if unmeasured:  # no measure, or a measure without its baseline
        reasons += unmeasured
        needs.append(NEED_BASELINE)
    if not cohorts.comparison:
        reasons.append("no comparison group: change can be shown but not an effect size")
        needs.append(NEED_COMPARISON)
    return Readiness(
        can_show_impact=not reasons,
        started=today >= starts_on,
        reasons=tuple(reasons),
        needs=tuple(needs),
    )


def _baseline_gaps(
    measure: Measure, baselines: Mapping[str, Baselines], cohorts: Cohorts
) -> list[str]:
    """A measure with no baseline, or none the analysis can use for a group that has schools:
    without both groups' baselines no effect size can be worked out."""
    held = baselines.get(str(measure.id))
    if held is None:
        return [f"measure '{measure.name}' has no baseline"]
    return [
        f"measure '{measure.name}' has no baseline for {GROUPS_NAMED[group]} (a group summary, "
        "or two schools' own values at least)"
        for group in _groups_without(held, cohorts)
    ]


def _published_gaps(published: PublishedBaseline, cohorts: Cohorts) -> list[str]:
    """The analysis of a published measure needs two schools of each group with both years'
    results: without two with the baseline year's, it can never have them."""
    held = Baselines(urns=published.held)
    return [
        f"measure '{published.name}' has no {published.baseline_year} results for "
        f"{GROUPS_NAMED[group]} (two schools' own results at least)"
        for group in _groups_without(held, cohorts)
    ]


def _groups_without(held: Baselines, cohorts: Cohorts) -> list[Group]:
    """The groups with schools whose baseline the analysis cannot summarise from what is held."""
    groups = {Group.PARTICIPANT: cohorts.participants, Group.COMPARISON: cohorts.comparison}
    return [
        group for group, schools in groups.items() if schools and not held.summarise(group, schools)
    ]
