"""Can a programme show impact? Said before it starts, while a baseline can still be taken, and
said on its report from the same facts the report counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.evaluation.domain.measure import Measure


@dataclass(frozen=True)
class Readiness:
    can_show_impact: bool
    started: bool
    reasons: tuple[str, ...]


def impact_readiness(
    *,
    starts_on: date,
    today: date,
    participating_schools: int,
    measures: list[Measure],
    with_baseline: set[str],
    has_comparison: bool,
) -> Readiness:
    reasons: list[str] = []
    if not participating_schools:
        reasons.append(
            "no school takes part yet: schools join when an order for a linked service is paid "
            "or invoiced, or support under a linked case is completed"
        )
    if not measures:
        reasons.append("no outcome measure is declared")
    reasons += [
        f"measure '{m.name}' has no baseline" for m in measures if str(m.id) not in with_baseline
    ]
    if not has_comparison:
        reasons.append("no comparison group: change can be shown but not an effect size")
    return Readiness(
        can_show_impact=not reasons, started=today >= starts_on, reasons=tuple(reasons)
    )
