from __future__ import annotations

from typing import Annotated
from uuid import UUID

from annotated_types import Ge, Le

from shared.bounds import Count, Day, Line, Measurement, Paragraph, Urn
from shared.events.base import Event

Average = Annotated[float, Ge(1), Le(5)]  # of scores from 1 to 5


class RatingRecordedV1(Event):
    """A school rated a delivered service; the averages after this rating ride along."""

    subject = "evaluation.rating.recorded.v1"

    rating_id: UUID
    urn: Urn
    service_id: UUID | None
    provider_id: UUID | None
    score: Annotated[int, Ge(1), Le(5)]
    comment: Paragraph
    rated_on: Day
    service_average: Average | None
    service_ratings: Count
    provider_average: Average | None
    provider_ratings: Count


class ProviderFlaggedV1(Event):
    """A provider's average rating fell below the threshold: review its quality assurance."""

    subject = "evaluation.provider.flagged.v1"

    provider_id: UUID
    average: Average
    threshold: Measurement
    ratings: Count
    flagged_on: Day


class ProgrammeCreatedV1(Event):
    """An evaluation programme was set up; its baseline is due before it starts."""

    subject = "evaluation.programme.created.v1"

    programme_id: UUID
    title: Line
    starts_on: Day


class BaselineRecordedV1(Event):
    """Baseline results were recorded for one of a programme's measures."""

    subject = "evaluation.baseline.recorded.v1"

    programme_id: UUID
    measure_id: UUID
