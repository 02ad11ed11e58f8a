"""The annual buy-back of subscriptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.orders.application import checkout, renewals, views
from services.orders.entrypoints.baskets_api import RequiredKey
from services.orders.entrypoints.deps import (
    BusDep,
    Buyer,
    Finance,
    TokenDep,
    UnitOfWorkDep,
    check_school,
)
from services.orders.entrypoints.schemas import CheckoutPublic
from shared.api.orders import (
    RenewalLinePublic,
    RenewalOfferPublic,
    RenewalStatusPublic,
    RenewCreate,
)
from shared.bounds import AcademicYear, Urn
from shared.money import total

router = APIRouter(prefix="/renewals", tags=["renewals"])
Year = Annotated[AcademicYear, Query(description="the academic year to renew for, e.g. 2027/28")]


@router.get("")
async def renewal_statuses(uow: UnitOfWorkDep, year: Year, _: Finance) -> list[RenewalStatusPublic]:
    """Every school that subscribed last year, and whether it has renewed."""
    return [
        RenewalStatusPublic(**status.__dict__, renewed=status.renewed_by is not None)
        for status in await views.renewal_statuses(uow, year)
    ]


@router.get("/{urn}")
async def renewal_offer(
    urn: Urn, year: Year, uow: UnitOfWorkDep, bus: BusDep, token: TokenDep, user: Buyer
) -> RenewalOfferPublic:
    """Last year's subscriptions, pre-filled at `year`'s prices as the shop sells them for it;
    those whose price list for it is not set yet are named apart (renewed once it is)."""
    await check_school(uow, user, urn)
    offer = await bus.handle(renewals.OfferRenewal(urn, year, token))
    amounts = total([line.amounts for line in offer.lines()])
    return RenewalOfferPublic(
        urn=urn,
        year=year,
        lines=[RenewalLinePublic(**quote.__dict__) for quote in offer.quotes],
        not_offered=offer.not_offered,
        renewed_by=offer.renewed_by,
        trust_bought=offer.trust_bought,
        not_yet_priced=offer.not_yet_priced,
        already_bought=offer.already_bought,
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        gross_pence=amounts.gross,
    )


@router.post("/{urn}", status_code=status.HTTP_201_CREATED)
async def renew(
    urn: Urn,
    year: Year,
    body: RenewCreate,
    idempotency_key: RequiredKey,
    uow: UnitOfWorkDep,
    bus: BusDep,
    token: TokenDep,
    user: Buyer,
) -> CheckoutPublic:
    """Renew last year's subscriptions for `year` in one step, at `year`'s prices: those priced
    for it (the offer's lines); refused, naming them, while none is."""
    await check_school(uow, user, urn)
    command = renewals.Renew(
        urn=urn, year=year, idempotency_key=idempotency_key, token=token, **body.model_dump()
    )
    return CheckoutPublic.of(await checkout.handle(bus, command))
