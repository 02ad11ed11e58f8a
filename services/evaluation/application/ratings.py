"""A school rates a delivery; the new averages go out by event, and a provider whose average
falls below the threshold is flagged for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.evaluation.application import events_out
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.config import Settings
from services.evaluation.domain.rating import Rating, falls_below, rate
from shared.bus import Command
from shared.errors import NotFound


@dataclass(frozen=True)
class RateDelivery(Command["Rating"]):
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
    await uow.ratings.hold_averages(invitation)
    before = await uow.ratings.average(provider_id=invitation.provider_id)
    rating = rate(
        invitation, urn=command.urn, score=command.score, comment=command.comment, on=today
    )
    await uow.ratings.add(rating)
    service = await uow.ratings.average(service_id=rating.service_id)
    provider = await uow.ratings.average(provider_id=rating.provider_id)
    uow.record(events_out.rating_recorded(rating, service=service, provider=provider))
    if rating.provider_id and falls_below(before, provider, threshold=threshold, minimum=minimum):
        uow.record(
            events_out.provider_flagged(rating.provider_id, provider, threshold=threshold, on=today)
        )
    return rating
