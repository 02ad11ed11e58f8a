"""Orders' subscriptions: the catalogue's services as published, updated and retired (its read
model), the catalogue's answers about course places, and its sessions called off."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from services.orders.adapters.stripe_gateway import StripeGateway, gateway_for
from services.orders.application import handlers, payments, places
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from shared.clock import Clock
from shared.events import (
    Envelope,
    PlaceOfferedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
    SessionCancelledV1,
)
from shared.messaging.consumer import Subscriptions, subscribe

Subscribe = Callable[[Subscriptions, Callable[[], OrdersUnitOfWork]], None]


def subscriptions(settings: Settings, clock: Clock) -> Subscribe:
    @cache
    def gateway() -> StripeGateway:  # built at the first refund, not at import
        return gateway_for(settings)

    async def on_session_cancelled(
        uow: OrdersUnitOfWork, envelope: Envelope[SessionCancelledV1]
    ) -> None:
        await payments.on_session_cancelled(uow, envelope, gateway=gateway(), today=clock.today())

    def subscribe_all(subscriptions: Subscriptions, uow: Callable[[], OrdersUnitOfWork]) -> None:
        for event_type, apply in (
            (ServicePublishedV1, handlers.record_published_service),
            (ServiceUpdatedV1, handlers.record_published_service),
            (ServiceRetiredV1, handlers.forget_retired_service),
            (PlacesReservedV1, places.on_places_reserved),
            (PlacesUnavailableV1, places.on_places_unavailable),
            (PlaceOfferedV1, places.on_place_offered),
            (SessionCancelledV1, on_session_cancelled),
        ):
            subscribe(
                subscriptions,
                consumer="orders",
                event_type=event_type,
                uow_factory=uow,
                apply=apply,  # type: ignore[arg-type]
            )

    return subscribe_all
