"""A 0-5 padlock security rating in the spirit of the EEF's classification of the security of
evaluation findings: the weakest of design, power and attrition, less a padlock or two for an
imbalance at baseline; each padlock lost comes with its reason."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

MOST_PADLOCKS = 5
# Bloom (2007): minimum detectable effect size multiplier for 80% power, 5% two-sided.
MDES_MULTIPLIER = 2.8
# A typical intra-class correlation for attainment between English schools (EEF guidance).
DEFAULT_ICC = 0.15
# (limit, padlocks): an MDES below 0.2 earns five, below 0.3 four, …
MDES_BANDS = ((0.2, 5), (0.3, 4), (0.4, 3), (0.5, 2), (0.6, 1))
ATTRITION_BANDS = ((0.10, 5), (0.20, 4), (0.30, 3), (0.40, 2), (0.50, 1))
# What Works Clearinghouse: baseline differences above 0.05 SD need adjustment, above 0.25
# the groups are not equivalent.
SMALL_IMBALANCE, LARGE_IMBALANCE = 0.05, 0.25


class Design(StrEnum):
    RANDOMISED = "randomised"
    MATCHED = "matched"  # comparison schools matched on phase and size
    UNMATCHED = "unmatched"
    NONE = "none"  # participants only


DESIGN_PADLOCKS = {Design.RANDOMISED: 5, Design.MATCHED: 3, Design.UNMATCHED: 1, Design.NONE: 0}
DESIGN_REASONS = {
    Design.MATCHED: "comparison schools matched on phase and size, not randomised",
    Design.UNMATCHED: "comparison group with no matching",
    Design.NONE: "no comparison group",
}


@dataclass(frozen=True)
class Evidence:
    design: Design
    treatment_schools: int
    comparison_schools: int
    pupils: int | None  # pupils analysed across both groups, when known
    attrition: float  # share of schools (or pupils) with a baseline but no outcome, 0-1
    baseline_difference: float | None  # standardised baseline gap between the groups
    design_reason: str | None = None  # how the comparison was chosen, when not the default
    attrition_of: str = "schools"  # or "pupils", when only group summaries give the counts


@dataclass(frozen=True)
class PadlockLost:
    criterion: str
    allows: int
    reason: str


@dataclass(frozen=True)
class SecurityRating:
    padlocks: int
    lost: tuple[PadlockLost, ...]
    mdes: float | None


def minimum_detectable_effect(
    *, treatment_schools: int, comparison_schools: int, pupils: int | None, icc: float = DEFAULT_ICC
) -> float:
    """Bloom's MDES for a two-level design; with no pupil count each school counts as one."""
    schools = treatment_schools + comparison_schools
    if treatment_schools < 1 or comparison_schools < 1:
        return math.inf
    share = treatment_schools / schools
    per_school = max(1.0, (pupils or schools) / schools)
    spread = share * (1 - share) * schools
    return MDES_MULTIPLIER * math.sqrt(icc / spread + (1 - icc) / (spread * per_school))


def _band(value: float, bands: tuple[tuple[float, int], ...]) -> int:
    return next((padlocks for limit, padlocks in bands if value < limit), 0)


def security_rating(evidence: Evidence) -> SecurityRating:
    caps: list[PadlockLost] = []
    design_allows = DESIGN_PADLOCKS[evidence.design]
    if design_allows < MOST_PADLOCKS:
        reason = evidence.design_reason or DESIGN_REASONS[evidence.design]
        caps.append(PadlockLost("design", design_allows, reason))
    mdes = None
    if evidence.design is not Design.NONE:
        mdes = minimum_detectable_effect(
            treatment_schools=evidence.treatment_schools,
            comparison_schools=evidence.comparison_schools,
            pupils=evidence.pupils,
        )
        power_allows = _band(mdes, MDES_BANDS)
        if power_allows < MOST_PADLOCKS:
            caps.append(PadlockLost("size", power_allows, _size_reason(evidence, mdes)))
    attrition_allows = _band(evidence.attrition, ATTRITION_BANDS)
    if attrition_allows < MOST_PADLOCKS:
        lost = shown_against(evidence.attrition, _limits(ATTRITION_BANDS), places=0, percent=True)
        caps.append(
            PadlockLost(
                "attrition",
                attrition_allows,
                f"{lost} of {evidence.attrition_of} with a baseline have no outcome",
            )
        )
    padlocks = min([MOST_PADLOCKS, *(cap.allows for cap in caps)])
    imbalance = _imbalance(evidence.baseline_difference, padlocks)
    if imbalance:
        caps.append(imbalance)
        padlocks = imbalance.allows
    return SecurityRating(padlocks=padlocks, lost=tuple(caps), mdes=mdes)


def _size_reason(evidence: Evidence, mdes: float) -> str:
    """Why the trial's size costs padlocks; with no school's outcome in a group the minimum
    detectable effect is unbounded, which a person reads better in words than as 'inf'."""
    if math.isinf(mdes):
        return "no school's outcome in one group or both: the trial's size is unknown"
    pupils = f", {evidence.pupils} pupils" if evidence.pupils else ""
    schools = evidence.treatment_schools + evidence.comparison_schools
    shown = shown_against(mdes, _limits(MDES_BANDS))
    return f"{schools} schools{pupils}: minimum detectable effect {shown}"


def _imbalance(difference: float | None, padlocks: int) -> PadlockLost | None:
    """An imbalance at baseline costs padlocks on top of the weakest criterion."""
    if difference is None or abs(difference) <= SMALL_IMBALANCE or padlocks == 0:
        return None
    penalty = 2 if abs(difference) > LARGE_IMBALANCE else 1
    return PadlockLost(
        "baseline balance",
        max(0, padlocks - penalty),
        f"the groups differed by {shown_against(abs(difference), (SMALL_IMBALANCE, LARGE_IMBALANCE))} SD at "
        f"baseline: {penalty} padlock(s) off",
    )


def shown_against(
    value: float, limits: Sequence[float], *, places: int = 2, percent: bool = False
) -> str:
    """`value` to `places` decimals, or to as many more as it takes to stay on its own side of
    each limit it was judged against: a baseline gap of 0.052, over the 0.05 that costs a
    padlock, reads 0.052, not 0.05; attrition of 19.9%, under the 20% band, not 20%."""
    scale, sign = (100, "%") if percent else (1, "")
    for digits in range(places, places + 10):
        shown = f"{value * scale:.{digits}f}"
        if all(_same_side(float(shown) / scale, value, limit) for limit in limits):
            return shown + sign
    return f"{value * scale!r}{sign}"


def _limits(bands: tuple[tuple[float, int], ...]) -> list[float]:
    return [limit for limit, _ in bands]


def _same_side(shown: float, value: float, limit: float) -> bool:
    return (shown - limit) * (value - limit) > 0 or shown == value == limit
