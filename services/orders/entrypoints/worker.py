"""Orders' subscriptions: the catalogue's services as published, updated and retired (its read
model) and the catalogue's answers about course places."""

from __future__ import annotations

from collections.abc import Callable

from services.orders.application import handlers, places
from services.orders.application.unit_of_work import OrdersUnitOfWork
from shared.events import (
    PlaceOfferedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
)
from shared.messaging.consumer import Subscriptions, subscribe


def subscriptions(subscriptions: Subscriptions, uow: Callable[[], OrdersUnitOfWork]) -> None:
    for event_type, apply in (
        (ServicePublishedV1, handlers.record_published_service),
        (ServiceUpdatedV1, handlers.record_published_service),
        (ServiceRetiredV1, handlers.forget_retired_service),
        (PlacesReservedV1, places.on_places_reserved),
        (PlacesUnavailableV1, places.on_places_unavailable),
        (PlaceOfferedV1, places.on_place_offered),
    ):
        subscribe(
            subscriptions,
            consumer="orders",
            event_type=event_type,
            uow_factory=uow,
            apply=apply,  # type: ignore[arg-type]
        )
