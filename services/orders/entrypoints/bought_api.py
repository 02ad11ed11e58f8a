"""What is bought for a school already: the subscriptions its basket, and its trust's basket for
it, refuse for their academic year (the shop shows them as bought instead)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.orders.application import views
from services.orders.domain.bought import Bought, bought_by, still_awaiting
from services.orders.entrypoints.deps import BasketFiller, UnitOfWorkDep, check_school
from services.orders.entrypoints.trusts_api import TrustCode, TrustReader, check_trust
from shared.api.orders import BoughtPublic
from shared.bounds import AcademicYear, Urn

router = APIRouter(tags=["baskets"])
Year = Annotated[AcademicYear | None, Query(description="only those for this academic year")]


@router.get("/schools/{urn}/bought")
async def bought_for_school(
    urn: Urn, uow: UnitOfWorkDep, user: BasketFiller, year: Year = None
) -> list[BoughtPublic]:
    """The subscriptions bought for the school, each for its academic year, by the school
    itself or by a trust for it: adding one to a basket for that year is refused (409)."""
    await check_school(uow, user, urn)
    return _public(await views.bought_for_school(uow, urn), year)


@router.get("/trusts/{trust_code}/bought")
async def bought_for_trust(
    trust_code: TrustCode, uow: UnitOfWorkDep, user: TrustReader, year: Year = None
) -> list[BoughtPublic]:
    """The same for each school of the trust, whoever bought them."""
    check_trust(user, trust_code)
    return _public(await views.bought_for_trust(uow, trust_code), year)


def _public(found: list[tuple[int, Bought]], year: str | None) -> list[BoughtPublic]:
    return [
        BoughtPublic(
            urn=urn,
            service_id=bought.line.service_id,
            title=bought.line.title,
            academic_year=bought.year,
            order_id=bought.order.id,
            bought_by=bought_by(bought.order),
            awaiting=still_awaiting(bought.order),
        )
        for urn, bought in found
        if year in (None, bought.year)
    ]
