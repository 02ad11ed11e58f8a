"""What the evaluation API accepts and answers, and the words it uses."""

from __future__ import annotations

from datetime import date
from enum import IntEnum, StrEnum
from typing import Annotated
from uuid import UUID

from annotated_types import Ge, Le
from pydantic import BaseModel, Field, StringConstraints

from shared.bounds import (
    MULTILINE,
    Count,
    Day,
    Label,
    Line,
    Measurement,
    Paragraph,
    StandardDeviation,
    Urn,
)

FIRST_YEAR, LAST_YEAR = 2016, 2100  # the KS2 results years there can be
Ks2Year = Annotated[int, Ge(FIRST_YEAR), Le(LAST_YEAR)]
LARGEST_KS2_FILE = 20_000_000  # characters: a whole England KS2 file is about 15 million
Ks2File = Annotated[str, MULTILINE, StringConstraints(max_length=LARGEST_KS2_FILE)]
LOWEST_SCORE, HIGHEST_SCORE = 1, 5  # a school's rating of a delivery
LONGEST_COMMENT = 2000  # characters of a rating's comment


class LinkKind(StrEnum):
    SERVICE = "service"  # a catalogue service: paid orders make participants
    CASE = "case"  # a commissioning case: completed deployments make participants


class Stage(StrEnum):
    BASELINE = "baseline"
    OUTCOME = "outcome"


class Group(StrEnum):
    PARTICIPANT = "participant"
    COMPARISON = "comparison"


class Step(IntEnum):
    BEGINNING = 1
    DEVELOPING = 2
    EMBEDDING = 3
    LEADING = 4


class Perspective(StrEnum):
    SELF = "self"
    PEER = "peer"


class StandardisedBy(StrEnum):
    """Whose spread an effect size was divided by: the EEF's months' progress are for pupils'."""

    PUPILS = "pupils"
    SCHOOLS = "schools"


class PublishedMeasure(StrEnum):
    RWM_EXPECTED = "ks2-rwm-expected"
    READING_SCORE = "ks2-reading-score"
    MATHS_SCORE = "ks2-maths-score"
    DISADVANTAGED = "ks2-disadvantaged"


class ParticipationPublic(BaseModel):
    urn: int
    school_name: str
    phase: str
    service_id: UUID
    service_title: str
    order_id: UUID
    since: date


class LinkCreate(BaseModel):
    kind: LinkKind
    target_id: UUID


class ProgrammeCreate(BaseModel):
    title: Line = Field(min_length=1)
    description: Paragraph = ""
    starts_on: Day
    # its last day, if it has one: who joins and what is spent after it are not counted
    ends_on: Day | None = None
    links: list[LinkCreate] = Field(min_length=1, max_length=50)
    randomised: bool = False


class ParticipantPublic(BaseModel):
    urn: int
    school_name: str
    source: str
    since: date


class ReadinessPublic(BaseModel):
    can_show_impact: bool
    started: bool
    reasons: list[str]
    needs: list[str]


class ProgrammePublic(BaseModel):
    id: UUID
    title: str
    description: str
    starts_on: date
    ends_on: date | None
    design: str
    links: list[LinkCreate]
    participants: list[ParticipantPublic]
    comparison_urns: list[int] = Field(
        description="the comparison group the report compares: chosen schools that do not take part"
    )
    comparison_left_out: list[int] = Field(
        default_factory=list,
        description="schools chosen for comparison that took part since: counted as taking part",
    )
    readiness: ReadinessPublic


class ComparisonCreate(BaseModel):
    match_per_participant: int | None = Field(default=None, ge=1, le=5)
    urns: list[Urn] | None = Field(default=None, max_length=2000)


class MatchPublic(BaseModel):
    participant: int
    comparison: int
    size_gap: int


class MeasureCreate(BaseModel):
    name: Line = Field(min_length=1)
    unit: Label = ""


class MeasurePublic(BaseModel):
    id: UUID
    programme_id: UUID
    name: str
    unit: str


class SchoolResultCreate(BaseModel):
    urn: Urn
    stage: Stage
    value: Measurement
    pupils: Count | None = Field(default=None, ge=1)


class GroupResultCreate(BaseModel):
    group: Group
    stage: Stage
    mean: Measurement
    sd: StandardDeviation
    n: Count = Field(ge=2, description="pupils the reported group summary is of")


class GroupResultPublic(BaseModel):
    """A stored group summary: one kept before a standard deviation had a least value may be
    smaller than a new one can be."""

    group: Group
    stage: Stage
    mean: float
    sd: float
    n: int = Field(description="pupils the reported group summary is of")


class ResultsCreate(BaseModel):
    schools: list[SchoolResultCreate] = Field(default_factory=list, max_length=5000)
    groups: list[GroupResultCreate] = Field(default_factory=list, max_length=4)


class ResultsPublic(BaseModel):
    schools: list[SchoolResultCreate]
    groups: list[GroupResultPublic]


class StoredPublic(BaseModel):
    stored: int


class NetworkCreate(BaseModel):
    name: Line = Field(min_length=1)
    kind: Label = "cluster"
    urns: list[Urn] = Field(min_length=2, max_length=200)


class NetworkPublic(BaseModel):
    id: UUID
    name: str
    kind: str
    urns: list[int]


class JudgementCreate(BaseModel):
    dimension: Line
    step: Step
    evidence: Paragraph = ""


class AssessmentCreate(BaseModel):
    perspective: Perspective
    assessor: Line = Field(min_length=1)
    assessed_on: Day
    judgements: list[JudgementCreate] = Field(min_length=1, max_length=20)


class PointPublic(BaseModel):
    assessed_on: date
    perspective: Perspective
    step: Step


class TrendPublic(BaseModel):
    dimension: str
    points: list[PointPublic]
    change: int | None = Field(
        description="latest minus first step from the latest's perspective; null until that "
        "perspective has judged it twice"
    )


class MaturityPublic(BaseModel):
    network: NetworkPublic
    drivers: list[str]
    criteria: list[str]
    assessments: int
    trend: list[TrendPublic]


class ImportedPublic(BaseModel):
    results: int
    schools: int


class PublishedResultPublic(BaseModel):
    urn: int
    measure: PublishedMeasure
    name: str
    year: int
    value: float | None
    cohort: int | None
    marker: str | None


class TrackedMeasureCreate(BaseModel):
    measure: PublishedMeasure
    baseline_year: Ks2Year
    outcome_year: Ks2Year


class TrackedMeasuresCreate(BaseModel):
    measures: list[TrackedMeasureCreate] = Field(max_length=len(PublishedMeasure))


class OutcomeMatchingCreate(BaseModel):
    baseline_year: Ks2Year
    per_participant: int = Field(default=2, ge=1, le=5)


class OutcomeMatchPublic(BaseModel):
    participant: int
    comparison: int
    distance: float


class InvitationPublic(BaseModel):
    id: UUID
    urn: int
    source: str
    source_id: UUID
    title: str
    service_id: UUID | None
    provider_id: UUID | None
    invited_on: date
    rated: bool


class RatingCreate(BaseModel):
    invitation_id: UUID
    score: int = Field(ge=LOWEST_SCORE, le=HIGHEST_SCORE)
    comment: Paragraph = Field(default="", max_length=LONGEST_COMMENT)


class RatingPublic(BaseModel):
    id: UUID
    invitation_id: UUID
    urn: int
    service_id: UUID | None
    provider_id: UUID | None
    score: int
    comment: str
    rated_on: date


class AveragePublic(BaseModel):
    average: float | None
    ratings: int


# A programme's report (GET /programmes/{id}/report), built by the service's report view.
class FigurePublic(BaseModel):
    measure_id: UUID | None = Field(
        description="the measure the figure is of; null for the programme as a whole"
    )
    measure: str
    figure: str
    value: float | int | str | None
    method: str


class MeasureSummaryPublic(BaseModel):
    id: UUID
    name: str
    unit: str
    padlocks: int
    months_progress: int | None
    standardised_by: StandardisedBy | None = Field(
        description="whose spread the effect size was divided by; null without an effect size"
    )


class PadlockLostPublic(BaseModel):
    criterion: str
    allows: int
    reason: str


class OutcomeGroupPublic(BaseModel):
    group: str
    schools: int
    usable: int
    suppressed: int
    not_published: int
    no_cohort_size: int = Field(
        default=0,
        description="schools with both years' results but no KS2 cohort size published for the "
        "outcome year: left out of the estimate, which weights each school by its cohort",
    )
    pupils: int | None
    baseline_mean: float | None
    outcome_mean: float | None
    mean_gain: float | None
    gain_standard_error: float | None


class DifferenceInDifferencesPublic(BaseModel):
    estimate: float
    standard_error: float
    degrees_of_freedom: float
    ci_low: float
    ci_high: float


class OutcomeMeasurePublic(BaseModel):
    measure: str
    name: str
    baseline_year: int
    outcome_year: int
    groups: list[OutcomeGroupPublic]
    difference_in_differences: DifferenceInDifferencesPublic | None
    hedges_g: float | None
    hedges_g_ci: list[float] | None
    months_progress: int | None
    standardised_by: StandardisedBy
    padlocks: int
    padlocks_lost: list[PadlockLostPublic]
    cost_per_pupil_pence: int | None
    impact_per_1000_pounds_per_pupil: float | None
    notes: list[str]
    methods: dict[str, str]
    # why its years cannot judge the programme (a baseline from a school year it ran in, an
    # outcome from before it, tracked before either was refused): no estimate is made from it
    set_aside: str | None = None


class PublishedOutcomesPublic(BaseModel):
    matched_on: str | None
    matches: list[OutcomeMatchPublic]
    can_claim: list[str]
    cannot_claim: list[str]
    measures: list[OutcomeMeasurePublic]
    # what a reader must know before the figures: how many measures were set aside and why, a
    # comparison matched on results the programme had already moved
    warnings: list[str] = []


class ReportedProgrammePublic(BaseModel):
    id: UUID
    title: str
    design: str
    starts_on: date
    ends_on: date | None = None


class ReportPublic(BaseModel):
    programme: ReportedProgrammePublic
    participants: list[ParticipantPublic]
    participating_schools: int
    pupils_reached: int
    readiness: ReadinessPublic
    comparison_urns: list[Urn]
    comparison_left_out: list[Urn] = Field(
        description="schools chosen for comparison that took part since: counted as taking part"
    )
    measures: list[MeasureSummaryPublic]
    figures: list[FigurePublic]
    published_outcomes: PublishedOutcomesPublic | None = None
