"""Difference-in-differences with schools as the unit: each school's gain from the baseline
year to the outcome year, averaged over each group with the school's cohort as its weight; the
participants' mean gain less the comparison group's is the estimate.

The standard error of a weighted mean gain comes from the spread of the schools' own gains
(n/(n−1) Σ pᵢ²(gᵢ − ḡ)², pᵢ = wᵢ/Σw: with equal weights it is s/√n), so it needs no assumption
that pupils within a school are independent. The two groups are independent samples, so
SE(DiD)² = SE(gain₁)² + SE(gain₂)², with Welch–Satterthwaite degrees of freedom for the
interval (Student's t: with a handful of schools a normal interval is too narrow).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from services.evaluation.domain.effect_size import Z_95, EffectSize, hedges_j, standardise
from shared.errors import Invalid


@dataclass(frozen=True)
class SchoolChange:
    urn: int
    baseline: float
    outcome: float
    cohort: int  # the weight: pupils eligible for assessment in the outcome year

    @property
    def gain(self) -> float:
        return self.outcome - self.baseline


@dataclass(frozen=True)
class Gain:
    """A group's mean gain with its standard error, over `schools` schools."""

    mean: float
    standard_error: float
    schools: int


@dataclass(frozen=True)
class GroupGains:
    baseline_mean: float  # cohort-weighted, like the gain
    outcome_mean: float
    gain: Gain
    gain_sd: float  # unweighted sample SD of the schools' gains, for the standardised effect
    pupils: int


def weighted_gain(changes: Sequence[SchoolChange]) -> GroupGains:
    if len(changes) < 2:
        raise Invalid("a group's gain needs at least two schools with both years' results")
    if any(change.cohort < 1 for change in changes):
        raise Invalid("every school's cohort must be at least one pupil")
    total = sum(change.cohort for change in changes)
    shares = [change.cohort / total for change in changes]
    mean = sum(p * change.gain for p, change in zip(shares, changes, strict=True))
    n = len(changes)
    variance = (
        n
        / (n - 1)
        * sum((p * (change.gain - mean)) ** 2 for p, change in zip(shares, changes, strict=True))
    )
    return GroupGains(
        baseline_mean=sum(p * c.baseline for p, c in zip(shares, changes, strict=True)),
        outcome_mean=sum(p * c.outcome for p, c in zip(shares, changes, strict=True)),
        gain=Gain(mean, math.sqrt(variance), n),
        gain_sd=statistics.stdev(change.gain for change in changes),
        pupils=total,
    )


@dataclass(frozen=True)
class DifferenceInDifferences:
    estimate: float
    standard_error: float
    degrees_of_freedom: float
    ci_low: float
    ci_high: float


def difference_in_differences(treatment: Gain, comparison: Gain) -> DifferenceInDifferences:
    estimate = treatment.mean - comparison.mean
    v1, v2 = treatment.standard_error**2, comparison.standard_error**2
    se = math.sqrt(v1 + v2)
    df = _welch_degrees_of_freedom(v1, treatment.schools, v2, comparison.schools)
    margin = t_975(df) * se
    return DifferenceInDifferences(estimate, se, df, estimate - margin, estimate + margin)


def _welch_degrees_of_freedom(v1: float, n1: int, v2: float, n2: int) -> float:
    if n1 < 2 or n2 < 2:
        raise Invalid("each group needs at least two schools")
    denominator = v1**2 / (n1 - 1) + v2**2 / (n2 - 1)
    return (v1 + v2) ** 2 / denominator if denominator > 0 else float(n1 + n2 - 2)


def t_975(df: float) -> float:
    """Student's t 97.5th percentile: exact for 1 and 2 degrees of freedom, otherwise the
    Cornish-Fisher expansion of Abramowitz & Stegun 26.7.5 (within 0.004 from 3 upwards)."""
    if df < 2:
        return math.tan(math.pi * 0.475)  # 12.71, df = 1: the conservative choice below 2
    if df < 3:
        return 0.95 * math.sqrt(2 / (4 * 0.975 * 0.025))  # 4.30, df = 2
    z = Z_95
    terms = (
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    )
    return z + sum(term / df ** (power + 1) for power, term in enumerate(terms))


def standardised_gain_difference(
    treatment: GroupGains, comparison: GroupGains, estimate: DifferenceInDifferences
) -> EffectSize:
    """Hedges' g on the gains: the difference in mean gains (the estimate) over the pooled SD of
    the schools' gains, corrected for small samples. Its interval is the estimate's own, in
    those SDs: a normal interval on g is too narrow with a handful of schools, and would rule
    out chance where the estimate's does not."""
    n1, n2 = treatment.gain.schools, comparison.gain.schools
    pooled = math.sqrt(
        ((n1 - 1) * treatment.gain_sd**2 + (n2 - 1) * comparison.gain_sd**2) / (n1 + n2 - 2)
    )
    effect = standardise(
        difference=estimate.estimate,
        sd=pooled,
        n1=n1,
        n2=n2,
        method="difference in cohort-weighted mean gains / pooled SD of schools' gains, × J; "
        "its 95% interval the estimate's (Student's t), in those SDs",
    )
    in_sds = hedges_j(n1, n2) / pooled
    return replace(
        effect,
        standard_error=estimate.standard_error * in_sds,
        ci_low=estimate.ci_low * in_sds,
        ci_high=estimate.ci_high * in_sds,
    )
