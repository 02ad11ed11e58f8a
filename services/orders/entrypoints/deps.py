"""What the orders routes share: the unit of work, the outside parties, today's date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request

from services.orders.adapters.catalogue_client import CatalogueQuotes, catalogue_client
from services.orders.adapters.stripe_gateway import StripeGateway, gateway_for
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.renewal import RenewalWindow
from shared.auth import ANY_ROLE, Principal, Role
from shared.deps import unit_of_work
from shared.errors import Forbidden
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
    clock: Callable[[], date] = getattr(request.app.state, "today", date.today)
    return clock()


def now(request: Request) -> datetime:
    """This moment (a test may fix it): offers of course places expire by the minute."""
    clock: Callable[[], datetime] = getattr(request.app.state, "now", lambda: datetime.now(UTC))
    return clock()


def renewal_window(request: Request) -> RenewalWindow:
    config = settings(request)
    return RenewalWindow(config.renewal_opens_days_before, config.renewal_closes_days_after)


def check_school(user: Principal, urn: int) -> None:
    if not user.may_see_school(urn):
        raise Forbidden("a school may act only for itself", field="urn")


UnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(unit_of_work)]
UnitsOfWorkDep = Annotated[Callable[[], OrdersUnitOfWork], Depends(units_of_work)]
SettingsDep = Annotated[Settings, Depends(settings)]
GatewayDep = Annotated[StripeGateway, Depends(gateway)]
QuotesDep = Annotated[CatalogueQuotes, Depends(quotes)]
TodayDep = Annotated[date, Depends(today)]
NowDep = Annotated[datetime, Depends(now)]
WindowDep = Annotated[RenewalWindow, Depends(renewal_window)]
Buyer = Annotated[Principal, Depends(require(Role.SCHOOL, Role.ADMIN))]
OrderReader = Annotated[
    Principal,
    Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.FINANCE, Role.ADMIN)),
]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]
