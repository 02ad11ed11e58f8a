"""Orders' subscriptions: the catalogue's services as published, updated and retired (its read
model) and the catalogue's answers about course places; and the job that lapses orders whose
approval was not given in time."""

from __future__ import annotations

from collections.abc import Callable

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.application import handlers, places
from services.orders.application.approvals import lapse_unapproved
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from shared.clock import Clock
from shared.events import (
    PlaceOfferedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
)
from shared.messaging.consumer import Subscriptions, subscribe
from shared.scheduling import Job


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


def jobs(
    settings: Settings, clock: Clock
) -> Callable[[Callable[[], OrdersUnitOfWork]], tuple[Job, ...]]:
    def approval_jobs(uow: Callable[[], OrdersUnitOfWork]) -> tuple[Job, ...]:
        gateway = StripeGateway(
            secret_key=settings.stripe_secret_key,
            webhook_secret=settings.stripe_webhook_secret,
            api_base=settings.stripe_api_base,
        )

        async def lapse() -> None:
            await lapse_unapproved(uow, gateway=gateway, today=clock.today())

        return (Job("approvals-lapse", settings.approval_lapse_every_seconds, lapse),)

    return approval_jobs
