"""Standardised effect sizes the way a meta-analyst computes them.

Cohen's d divides a difference by the pooled within-group standard deviation; Hedges' g removes
d's small-sample bias with J = 1 - 3/(4(n1 + n2) - 9) (Hedges & Olkin 1985); the variance of d
is (n1 + n2)/(n1 n2) + d²/(2(n1 + n2)) and Var(g) = J² Var(d) (Borenstein et al. 2009, ch. 4).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from shared.errors import Invalid

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile


@dataclass(frozen=True)
class GroupSummary:
    """A group as a meta-analysis sees it: mean, standard deviation and size."""

    mean: float
    sd: float
    n: int

    def __post_init__(self) -> None:
        if self.n < 1:
            raise Invalid("a group needs at least one member", field="n")
        if self.sd < 0 or not math.isfinite(self.sd):
            raise Invalid("a standard deviation cannot be negative", field="sd")
        if not math.isfinite(self.mean):
            raise Invalid("a mean must be a number", field="mean")

    @classmethod
    def of(cls, values: Sequence[float]) -> GroupSummary:
        """Summarise school-level values (sample SD, n - 1 in the denominator)."""
        if len(values) < 2:
            raise Invalid("at least two values are needed for a standard deviation")
        return cls(mean=statistics.fmean(values), sd=statistics.stdev(values), n=len(values))


@dataclass(frozen=True)
class EffectSize:
    method: str
    difference: float  # in the measure's own units
    standardiser: float  # the pooled SD it was divided by
    cohens_d: float
    hedges_g: float
    standard_error: float  # of g
    ci_low: float
    ci_high: float
    n_treatment: int
    n_comparison: int


def pooled_sd(first: GroupSummary, second: GroupSummary) -> float:
    if first.n + second.n <= 2:
        raise Invalid("pooling standard deviations needs more than two members in all")
    pooled_variance = ((first.n - 1) * first.sd**2 + (second.n - 1) * second.sd**2) / (
        first.n + second.n - 2
    )
    return math.sqrt(pooled_variance)


def hedges_j(n1: int, n2: int) -> float:
    """Hedges' small-sample correction factor (approximation to the exact gamma-function form)."""
    return 1 - 3 / (4 * (n1 + n2) - 9)


def standardise(*, difference: float, sd: float, n1: int, n2: int, method: str) -> EffectSize:
    if sd <= 0:
        raise Invalid("the groups show no spread: an effect size cannot be standardised")
    d = difference / sd
    variance_d = (n1 + n2) / (n1 * n2) + d**2 / (2 * (n1 + n2))
    j = hedges_j(n1, n2)
    g = j * d
    se = j * math.sqrt(variance_d)
    return EffectSize(
        method=method,
        difference=difference,
        standardiser=sd,
        cohens_d=d,
        hedges_g=g,
        standard_error=se,
        ci_low=g - Z_95 * se,
        ci_high=g + Z_95 * se,
        n_treatment=n1,
        n_comparison=n2,
    )


def difference_in_means(treatment: GroupSummary, comparison: GroupSummary) -> EffectSize:
    """Post-test means only: the textbook two-group case."""
    return standardise(
        difference=treatment.mean - comparison.mean,
        sd=pooled_sd(treatment, comparison),
        n1=treatment.n,
        n2=comparison.n,
        method="difference in post-test means / pooled post-test SD (Borenstein et al. 2009)",
    )


def difference_in_gains(
    *,
    treatment_baseline: GroupSummary,
    treatment_outcome: GroupSummary,
    comparison_baseline: GroupSummary,
    comparison_outcome: GroupSummary,
) -> EffectSize:
    """Gain of the participants minus gain of the comparison group, over the pooled baseline SD
    (Morris 2008, d_ppc2): the baseline SD is untouched by the programme."""
    gain_treatment = treatment_outcome.mean - treatment_baseline.mean
    gain_comparison = comparison_outcome.mean - comparison_baseline.mean
    return standardise(
        difference=gain_treatment - gain_comparison,
        sd=pooled_sd(treatment_baseline, comparison_baseline),
        n1=treatment_outcome.n,
        n2=comparison_outcome.n,
        method="difference in gains / pooled baseline SD (Morris 2008, d_ppc2)",
    )


Pairs = Sequence[tuple[float, float]]  # (baseline, outcome) per school


def baseline_adjusted(treatment: Pairs, comparison: Pairs) -> EffectSize:
    """Post-test means adjusted for baseline with the pooled within-group slope (ANCOVA), over
    the pooled post-test SD, as EEF evaluation reports do."""
    if len(treatment) < 2 or len(comparison) < 2:
        raise Invalid("baseline adjustment needs at least two schools in each group")
    slope = _pooled_slope(treatment, comparison)
    pre_t, post_t = (GroupSummary.of(column) for column in zip(*treatment, strict=True))
    pre_c, post_c = (GroupSummary.of(column) for column in zip(*comparison, strict=True))
    return standardise(
        difference=(post_t.mean - post_c.mean) - slope * (pre_t.mean - pre_c.mean),
        sd=pooled_sd(post_t, post_c),
        n1=len(treatment),
        n2=len(comparison),
        method="baseline-adjusted post-test means (ANCOVA, pooled within-group slope) "
        "/ pooled post-test SD",
    )


def _pooled_slope(*groups: Pairs) -> float:
    sxx = sxy = 0.0
    for pairs in groups:
        mean_x = statistics.fmean(x for x, _ in pairs)
        mean_y = statistics.fmean(y for _, y in pairs)
        sxx += sum((x - mean_x) ** 2 for x, _ in pairs)
        sxy += sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    if sxx == 0:
        raise Invalid("every baseline is the same: there is nothing to adjust for")
    return sxy / sxx
