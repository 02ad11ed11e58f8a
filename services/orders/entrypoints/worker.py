"""Orders' subscriptions: it keeps a read model of the catalogue's published services."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.orders.application import handlers
from services.orders.application.unit_of_work import OrdersUnitOfWork
from shared.events import ServicePublishedV1
from shared.messaging.consumer import subscribe


def subscriptions(broker: NatsBroker, uow: Callable[[], OrdersUnitOfWork]) -> None:
    subscribe(
        broker,
        consumer="orders",
        event_type=ServicePublishedV1,
        uow_factory=uow,
        apply=handlers.record_published_service,
    )
