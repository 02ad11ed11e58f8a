"""Commissioning's subscriptions: it keeps a copy of the schools register."""

from __future__ import annotations

from collections.abc import Callable

from services.commissioning.application.schools import record_registered_school
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from shared.events import SchoolRegisteredV1
from shared.messaging.consumer import Subscriptions, subscribe


def subscriptions(subscriptions: Subscriptions, uow: Callable[[], CommissioningUnitOfWork]) -> None:
    subscribe(
        subscriptions,
        consumer="commissioning",
        event_type=SchoolRegisteredV1,
        uow_factory=uow,
        apply=record_registered_school,
    )
