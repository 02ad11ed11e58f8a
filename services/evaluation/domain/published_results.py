"""School-level results the DfE publishes each year (Key Stage 2), as named measures: the
outcomes and baselines of every school, whether or not it takes part in anything."""

from __future__ import annotations

from dataclasses import dataclass

from shared.api.evaluation import PublishedMeasure as PublishedMeasure

MEASURE_NAMES = {
    PublishedMeasure.RWM_EXPECTED: "reading, writing and maths at the expected standard, %",
    PublishedMeasure.READING_SCORE: "reading scaled score",
    PublishedMeasure.MATHS_SCORE: "maths scaled score",
    PublishedMeasure.DISADVANTAGED: "disadvantaged pupils in the KS2 cohort, %",
}
# The attainment measures a programme's impact can be judged on; disadvantage is for matching.
OUTCOME_MEASURES = (
    PublishedMeasure.RWM_EXPECTED,
    PublishedMeasure.READING_SCORE,
    PublishedMeasure.MATHS_SCORE,
)
# The range a published value can take: a percentage, or the KS2 scaled-score scale.
VALID_RANGE = {
    PublishedMeasure.RWM_EXPECTED: (0.0, 100.0),
    PublishedMeasure.READING_SCORE: (80.0, 120.0),
    PublishedMeasure.MATHS_SCORE: (80.0, 120.0),
    PublishedMeasure.DISADVANTAGED: (0.0, 100.0),
}


@dataclass(frozen=True)
class PublishedResult:
    """One school's figure for one measure and year. `value` is None when the DfE withheld it;
    `marker` then says why (SUPP: a cohort too small to publish, NE: no entries, …)."""

    urn: int
    measure: PublishedMeasure
    year: int
    value: float | None
    cohort: int | None  # pupils eligible for KS2 assessment that year
    marker: str | None = None
    mainstream: bool | None = None  # False for a special school; None when the file says not

    @property
    def usable(self) -> bool:
        return self.value is not None
