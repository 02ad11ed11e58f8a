"""A school rates a delivery; the new averages go out by event, and a provider whose average
falls below the threshold is flagged for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.config import Settings
from services.evaluation.domain.rating import Rating, falls_below, rate
from shared.errors import NotFound
from shared.events import ProviderFlaggedV1, RatingRecordedV1


@dataclass(frozen=True)
class RateDelivery:
    invitation_id: UUID
    urn: int
    score: int
    comment: str


async def rate_delivery(
    command: RateDelivery, *, uow: EvaluationUnitOfWork, today: date, settings: Settings
) -> Rating:
    """Rated today; a provider falling below the settings' threshold is flagged."""
    threshold, minimum = settings.rating_flag_threshold, settings.rating_flag_minimum
    invitation = await uow.ratings.invitation(command.invitation_id)
    if invitation is None:
        raise NotFound("no such delivery to rate")
    before = await uow.ratings.average(provider_id=invitation.provider_id)
    rating = rate(
        invitation, urn=command.urn, score=command.score, comment=command.comment, on=today
    )
    await uow.ratings.add(rating)
    service = await uow.ratings.average(service_id=rating.service_id)
    provider = await uow.ratings.average(provider_id=rating.provider_id)
    uow.record(
        RatingRecordedV1(
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
    )
    if rating.provider_id and falls_below(before, provider, threshold=threshold, minimum=minimum):
        uow.record(
            ProviderFlaggedV1(
                provider_id=rating.provider_id,
                average=provider.mean or 0.0,
                threshold=threshold,
                ratings=provider.count,
                flagged_on=today,
            )
        )
    return rating
