"""Quality assurance of inputs: schools rate what was delivered to them."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.evaluation.application import views
from services.evaluation.application.ratings import RateDelivery
from services.evaluation.entrypoints.deps import BusDep, Reader, SchoolUser, UnitOfWorkDep
from shared.api.evaluation import AveragePublic, InvitationPublic, RatingCreate, RatingPublic

router = APIRouter(tags=["ratings"])


@router.get("/ratings/invitations")
async def list_invitations(
    uow: UnitOfWorkDep, user: Reader, unrated_only: bool = True
) -> list[InvitationPublic]:
    """Deliveries waiting for a rating (a school sees its own)."""
    urn = user.urn if user.is_school else None
    found = await views.invitations(uow, urn=urn, unrated_only=unrated_only)
    return [InvitationPublic(**i.__dict__) for i in found]


@router.post("/ratings", status_code=status.HTTP_201_CREATED)
async def rate(body: RatingCreate, bus: BusDep, user: SchoolUser) -> RatingPublic:
    """Rate a delivery to your own school, 1 to 5, with a comment; once per delivery."""
    command = RateDelivery(
        invitation_id=body.invitation_id, urn=user.urn or 0, score=body.score, comment=body.comment
    )
    return RatingPublic(**(await bus.handle(command)).__dict__)


@router.get("/ratings")
async def list_ratings(uow: UnitOfWorkDep, user: Reader) -> list[RatingPublic]:
    """Ratings given (a school sees its own)."""
    found = await views.ratings(uow, urn=user.urn if user.is_school else None)
    return [RatingPublic(**r.__dict__) for r in found]


@router.get("/ratings/average")
async def average(
    uow: UnitOfWorkDep,
    _: Reader,
    service_id: UUID | None = None,
    provider_id: UUID | None = None,
) -> AveragePublic:
    """A service's or a provider's average rating."""
    found = await views.average(uow, service_id=service_id, provider_id=provider_id)
    return AveragePublic(average=found.mean, ratings=found.count)
