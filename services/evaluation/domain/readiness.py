"""Can a programme show impact? Said before it starts, while a baseline can still be taken,
with what it would need to; and said on its report from the same facts the report counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.evaluation.domain.measure import Measure

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
class PublishedBaseline:
    """A tracked published measure, and whether its baseline year is held for the schools."""

    name: str
    baseline_year: int
    held: bool


def impact_readiness(
    *,
    starts_on: date,
    today: date,
    participating_schools: int,
    measures: list[Measure],
    with_baseline: set[str],
    has_comparison: bool,
    published: tuple[PublishedBaseline, ...] = (),
) -> Readiness:
    reasons: list[str] = []
    needs: list[str] = []
    if not participating_schools:
        reasons.append(
            "no school takes part yet: schools join when an order for a linked service is paid "
            "or invoiced, or support under a linked case is completed"
        )
        needs.append(NEED_PARTICIPANTS)
    unmeasured: list[str] = []
    if not measures and not published:
        unmeasured.append("no outcome measure is declared")
        needs.append(NEED_MEASURE)
    unmeasured += [
        f"measure '{m.name}' has no baseline" for m in measures if str(m.id) not in with_baseline
    ]
    unmeasured += [
        f"measure '{p.name}' has no {p.baseline_year} results for its schools"
        for p in published
        if not p.held
    ]
    if unmeasured:  # no measure, or a measure without its baseline
        reasons += unmeasured
        needs.append(NEED_BASELINE)
    if not has_comparison:
        reasons.append("no comparison group: change can be shown but not an effect size")
        needs.append(NEED_COMPARISON)
    return Readiness(
        can_show_impact=not reasons,
        started=today >= starts_on,
        reasons=tuple(reasons),
        needs=tuple(needs),
    )
