"""The annual buy-back of subscriptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.orders.application import renewals
from services.orders.entrypoints.baskets_api import RequiredKey
from services.orders.entrypoints.deps import (
    Buyer,
    Finance,
    GatewayDep,
    QuotesDep,
    SettingsDep,
    TodayDep,
    UnitOfWorkDep,
    UnitsOfWorkDep,
    WindowDep,
    check_school,
)
from services.orders.entrypoints.schemas import (
    CheckoutPublic,
    RenewCreate,
)
from shared.api.orders import (
    RenewalLinePublic,
    RenewalOfferPublic,
    RenewalStatusPublic,
)
from shared.bounds import AcademicYear, Urn

router = APIRouter(prefix="/renewals", tags=["renewals"])
Year = Annotated[AcademicYear, Query(description="the academic year to renew for, e.g. 2027/28")]


@router.get("")
async def renewal_statuses(uow: UnitOfWorkDep, year: Year, _: Finance) -> list[RenewalStatusPublic]:
    """Every school that subscribed last year, and whether it has renewed."""
    async with uow:
        found = await renewals.renewal_statuses(uow, year)
    return [
        RenewalStatusPublic(**status.__dict__, renewed=status.renewed_by is not None)
        for status in found
    ]


@router.get("/{urn}")
async def renewal_offer(
    urn: Urn, year: Year, uow: UnitOfWorkDep, quotes: QuotesDep, user: Buyer
) -> RenewalOfferPublic:
    """Last year's subscriptions, pre-filled at next year's prices."""
    await check_school(uow, user, urn)
    async with uow:
        offer = await renewals.renewal_offer(uow, urn, year, quotes=quotes)
    return RenewalOfferPublic(
        urn=urn,
        year=year,
        lines=[RenewalLinePublic(**quote.__dict__) for quote in offer.quotes],
        not_offered=offer.not_offered,
        renewed_by=offer.renewed_by,
    )


@router.post("/{urn}", status_code=status.HTTP_201_CREATED)
async def renew(
    urn: Urn,
    year: Year,
    body: RenewCreate,
    idempotency_key: RequiredKey,
    uows: UnitsOfWorkDep,
    quotes: QuotesDep,
    gateway: GatewayDep,
    window: WindowDep,
    settings: SettingsDep,
    today: TodayDep,
    user: Buyer,
) -> CheckoutPublic:
    """Renew last year's subscriptions for `year` in one step, at next year's prices."""
    await check_school(uows(), user, urn)
    checked_out = await renewals.renew(
        uows,
        renewals.Renew(urn=urn, year=year, idempotency_key=idempotency_key, **body.model_dump()),
        quotes=quotes,
        gateway=gateway,
        window=window,
        today=today,
        payment_days=settings.invoice_payment_days,
    )
    return CheckoutPublic.of_checkout(checked_out)
