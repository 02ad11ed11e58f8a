"""The events evaluation publishes, built from its aggregates."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.evaluation.domain.programme import Programme
from services.evaluation.domain.rating import Average, Rating
from shared.events import (
    BaselineRecordedV1,
    ProgrammeCreatedV1,
    ProviderFlaggedV1,
    RatingRecordedV1,
)


def programme_created(programme: Programme) -> ProgrammeCreatedV1:
    return ProgrammeCreatedV1(
        programme_id=programme.id, title=programme.title, starts_on=programme.starts_on
    )


def baseline_recorded(programme_id: UUID, measure_id: UUID) -> BaselineRecordedV1:
    return BaselineRecordedV1(programme_id=programme_id, measure_id=measure_id)


def rating_recorded(rating: Rating, *, service: Average, provider: Average) -> RatingRecordedV1:
    """The rating, with the averages of its service and provider that it makes."""
    return RatingRecordedV1(
        rating_id=rating.id,
        urn=rating.urn,
        service_id=rating.service_id,
        provider_id=rating.provider_id,
        score=rating.score,
        comment=rating.comment,
        rated_on=rating.rated_on,
        service_average=service.mean,
        service_ratings=service.count,
        provider_average=provider.mean,
        provider_ratings=provider.count,
    )


def provider_flagged(
    provider_id: UUID, provider: Average, *, threshold: float, on: date
) -> ProviderFlaggedV1:
    return ProviderFlaggedV1(
        provider_id=provider_id,
        average=provider.mean or 0.0,
        threshold=threshold,
        ratings=provider.count,
        flagged_on=on,
    )
