"""Orders' subscriptions (the catalogue's services as published, updated and retired (its read
model), the catalogue's answers about course places, and its sessions called off) and its jobs:
renewing the rolling subscriptions whose next period has begun, and lapsing orders whose approval
was not given in time."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import httpx

from services.orders.adapters.catalogue_client import CatalogueQuotes, catalogue_client
from services.orders.adapters.stripe_gateway import StripeGateway, gateway_for
from services.orders.application import handlers, payments, places, rolling
from services.orders.application.approvals import lapse_unapproved
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from shared.auth import Role, issue_token
from shared.bus import MessageBus
from shared.clock import Clock
from shared.events import (
    Envelope,
    PlaceOfferedV1,
    PlaceOfferLapsedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
    SessionCancelledV1,
)
from shared.messaging.consumer import Subscriptions, subscribe
from shared.scheduling import Job
from shared.telemetry import tracer_provider

Subscribe = Callable[[Subscriptions, Callable[[], OrdersUnitOfWork]], None]


def subscriptions(settings: Settings, clock: Clock) -> Subscribe:
    gateway = _gateway(settings)

    async def on_session_cancelled(
        uow: OrdersUnitOfWork, envelope: Envelope[SessionCancelledV1]
    ) -> None:
        await payments.on_session_cancelled(uow, envelope, gateway=gateway(), today=clock.today())

    async def on_offer_lapsed(
        uow: OrdersUnitOfWork, envelope: Envelope[PlaceOfferLapsedV1]
    ) -> None:
        await places.on_offer_lapsed(uow, envelope, gateway=gateway(), today=clock.today())

    def subscribe_all(subscriptions: Subscriptions, uow: Callable[[], OrdersUnitOfWork]) -> None:
        for event_type, apply in (
            (ServicePublishedV1, handlers.record_published_service),
            (ServiceUpdatedV1, handlers.record_published_service),
            (ServiceRetiredV1, handlers.forget_retired_service),
            (PlacesReservedV1, places.on_places_reserved),
            (PlacesUnavailableV1, places.on_places_unavailable),
            (PlaceOfferedV1, places.on_place_offered),
            (SessionCancelledV1, on_session_cancelled),
            (PlaceOfferLapsedV1, on_offer_lapsed),
        ):
            subscribe(
                subscriptions,
                consumer="orders",
                event_type=event_type,
                uow_factory=uow,
                apply=apply,  # type: ignore[arg-type]
            )

    return subscribe_all


def jobs(
    settings: Settings, clock: Clock
) -> Callable[[MessageBus[OrdersUnitOfWork]], tuple[Job, ...]]:
    gateway = _gateway(settings)

    @cache
    def catalogue() -> httpx.AsyncClient:
        provider = tracer_provider(settings.service_name, settings.otel_exporter)
        return catalogue_client(settings.catalogue_url, provider=provider)

    def quotes_for(urn: int) -> CatalogueQuotes:
        """The catalogue asked on the school's behalf, as the school's own checkout asks it."""
        token = issue_token(
            secret=settings.jwt_secret,
            subject="orders-rolling-renewals",
            role=Role.SCHOOL,
            urn=urn,
            ttl_seconds=300,
        )
        return CatalogueQuotes(catalogue(), token=token)

    def orders_jobs(bus: MessageBus[OrdersUnitOfWork]) -> tuple[Job, ...]:
        uows = bus.unit_of_work

        async def renew() -> None:
            await rolling.renew_due(
                uows,
                quotes_for=quotes_for,
                gateway=gateway(),
                today=clock.today(),
                payment_days=settings.invoice_payment_days,
            )

        async def lapse() -> None:
            await lapse_unapproved(uows, gateway=gateway(), today=clock.today())

        return (
            Job("rolling-renewals", settings.rolling_renewal_every_seconds, renew),
            Job("approvals-lapse", settings.approval_lapse_every_seconds, lapse),
        )

    return orders_jobs


def _gateway(settings: Settings) -> Callable[[], StripeGateway]:
    @cache
    def gateway() -> StripeGateway:  # built at first use, not at import
        return gateway_for(settings)

    return gateway
