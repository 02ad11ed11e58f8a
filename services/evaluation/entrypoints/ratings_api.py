"""Quality assurance of inputs: schools rate what was delivered to them."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, status

from services.evaluation.application.ratings import FlagPolicy, RateDelivery, rate_delivery
from services.evaluation.entrypoints.deps import Reader, SchoolUser, UnitOfWorkDep
from shared.api.evaluation import AveragePublic, InvitationPublic, RatingCreate, RatingPublic
from shared.deps import Today

router = APIRouter(tags=["ratings"])


@router.get("/ratings/invitations")
async def list_invitations(
    uow: UnitOfWorkDep, user: Reader, unrated_only: bool = True
) -> list[InvitationPublic]:
    """Deliveries waiting for a rating (a school sees its own)."""
    async with uow:
        found = await uow.ratings.invitations(
            urn=user.urn if user.is_school else None, unrated_only=unrated_only
        )
    return [InvitationPublic(**i.__dict__) for i in found]


@router.post("/ratings", status_code=status.HTTP_201_CREATED)
async def rate(
    body: RatingCreate, request: Request, uow: UnitOfWorkDep, today: Today, user: SchoolUser
) -> RatingPublic:
    """Rate a delivery to your own school, 1 to 5, with a comment; once per delivery."""
    settings = request.app.state.settings
    policy = FlagPolicy(settings.rating_flag_threshold, settings.rating_flag_minimum)
    command = RateDelivery(
        invitation_id=body.invitation_id,
        urn=user.urn or 0,
        score=body.score,
        comment=body.comment,
        on=today,
    )
    async with uow:
        rating = await rate_delivery(uow, command, policy)
    return RatingPublic(**rating.__dict__)


@router.get("/ratings")
async def list_ratings(uow: UnitOfWorkDep, user: Reader) -> list[RatingPublic]:
    """Ratings given (a school sees its own)."""
    async with uow:
        found = await uow.ratings.list(urn=user.urn if user.is_school else None)
    return [RatingPublic(**r.__dict__) for r in found]


@router.get("/ratings/average")
async def average(
    uow: UnitOfWorkDep,
    _: Reader,
    service_id: UUID | None = None,
    provider_id: UUID | None = None,
) -> AveragePublic:
    """A service's or a provider's average rating."""
    async with uow:
        found = await uow.ratings.average(service_id=service_id, provider_id=provider_id)
    return AveragePublic(average=found.mean, ratings=found.count)
