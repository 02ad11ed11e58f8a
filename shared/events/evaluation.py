from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.events.base import Event


class RatingRecordedV1(Event):
    """A school rated a delivered service; the averages after this rating ride along."""

    subject = "evaluation.rating.recorded.v1"

    rating_id: UUID
    urn: int
    service_id: UUID | None
    provider_id: UUID | None
    score: int  # 1 to 5
    comment: str
    rated_on: date
    service_average: float | None
    service_ratings: int
    provider_average: float | None
    provider_ratings: int


class ProviderFlaggedV1(Event):
    """A provider's average rating fell below the threshold: review its quality assurance."""

    subject = "evaluation.provider.flagged.v1"

    provider_id: UUID
    average: float
    threshold: float
    ratings: int
    flagged_on: date


class ProgrammeCreatedV1(Event):
    """An evaluation programme was set up; its baseline is due before it starts."""

    subject = "evaluation.programme.created.v1"

    programme_id: UUID
    title: str
    starts_on: date


class BaselineRecordedV1(Event):
    """Baseline results were recorded for one of a programme's measures."""

    subject = "evaluation.baseline.recorded.v1"

    programme_id: UUID
    measure_id: UUID
