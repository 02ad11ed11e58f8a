"""What the orders routes share: the unit of work, the outside parties, today's date."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from services.orders.adapters.catalogue_client import CatalogueQuotes, catalogue_client
from services.orders.adapters.stripe_gateway import StripeGateway, gateway_for
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.order import Order
from services.orders.domain.renewal import RenewalWindow
from shared import deps as shared_deps
from shared.auth import ANY_ROLE, Principal, Role, check_reaches_school
from shared.deps import unit_of_work
from shared.errors import NotFound
from shared.http import require
from shared.telemetry import tracer_provider


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def units_of_work(request: Request) -> Callable[[], OrdersUnitOfWork]:
    """For use cases that need more than one transaction (a checkout that lost a race)."""
    factory: Callable[[], OrdersUnitOfWork] = request.app.state.unit_of_work
    return factory


def gateway(request: Request) -> StripeGateway:
    """Built on first use, from settings (tests may put another base address in settings)."""
    state = request.app.state
    if getattr(state, "gateway", None) is None:
        state.gateway = gateway_for(settings(request))
    found: StripeGateway = state.gateway
    return found


def quotes(request: Request) -> CatalogueQuotes:
    """The catalogue, asked as the caller: their bearer token goes with the question."""
    state = request.app.state
    if getattr(state, "catalogue", None) is None:
        config = settings(request)
        provider = tracer_provider(config.service_name, config.otel_exporter)
        state.catalogue = catalogue_client(config.catalogue_url, provider=provider)
    token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    return CatalogueQuotes(state.catalogue, token=token)


def today(request: Request) -> date:
    """Today by the service's clock, unless a test has put its own day on the app."""
    fixed: Callable[[], date] | None = getattr(request.app.state, "today", None)
    return fixed() if fixed else shared_deps.today(request)


def now(request: Request) -> datetime:
    """This moment (a test may fix it): offers of course places expire by the minute."""
    fixed: Callable[[], datetime] | None = getattr(request.app.state, "now", None)
    return fixed() if fixed else shared_deps.now(request)


def renewal_window(request: Request) -> RenewalWindow:
    config = settings(request)
    return RenewalWindow(config.renewal_opens_days_before, config.renewal_closes_days_after)


async def check_school(uow: OrdersUnitOfWork, user: Principal, urn: int) -> None:
    """A school acts only for itself, a trust buyer for the schools of its trust (the
    register says which), staff for any school."""
    trust = None
    if user.is_trust_buyer:
        async with uow:
            with suppress(NotFound):
                trust = (await uow.schools.get(urn)).trust_code
    check_reaches_school(user, urn, trust=trust, refusal="a school may act only for itself")


def orders_in_view(user: Principal, urn: int | None) -> dict[str, Any]:
    """Which orders a user sees: a school its own (not its trust's), a trust buyer its trust's,
    staff every school's (or the one asked for)."""
    if user.is_school:
        return {"urn": user.urn, "schools_own": True}
    if user.is_trust_buyer:
        return {"trust_code": user.trust}
    return {"urn": urn}


def may_see_order(user: Principal, order: Order) -> bool:
    if order.trust_code is not None:
        return not user.is_school and (not user.is_trust_buyer or user.trust == order.trust_code)
    return not user.is_trust_buyer and user.may_see_school(order.urn)


UnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(unit_of_work)]
UnitsOfWorkDep = Annotated[Callable[[], OrdersUnitOfWork], Depends(units_of_work)]
SettingsDep = Annotated[Settings, Depends(settings)]
GatewayDep = Annotated[StripeGateway, Depends(gateway)]
QuotesDep = Annotated[CatalogueQuotes, Depends(quotes)]
TodayDep = Annotated[date, Depends(today)]
NowDep = Annotated[datetime, Depends(now)]
WindowDep = Annotated[RenewalWindow, Depends(renewal_window)]
Buyer = Annotated[Principal, Depends(require(Role.SCHOOL, Role.ADMIN))]
# a trust buyer fills its schools' baskets, and checks them out together as the trust's order
BasketFiller = Annotated[Principal, Depends(require(Role.SCHOOL, Role.TRUST_BUYER, Role.ADMIN))]
OrderReader = Annotated[
    Principal,
    Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.FINANCE, Role.ADMIN)),
]
# reading orders and invoices, a trust buyer's included (refunds and remittances are not theirs)
OrderViewer = Annotated[
    Principal,
    Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.TRUST_BUYER, Role.FINANCE, Role.ADMIN)),
]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]
