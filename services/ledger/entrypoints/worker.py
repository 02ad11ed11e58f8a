"""The ledger's worker: a subscription for every money event that has a posting rule, the
register and the contracts' names, and the job that recognises income as it falls due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError

from services.ledger.application.handlers import (
    name_contract,
    post_event,
    recognise_due,
    register_school,
)
from services.ledger.application.posting import POSTING_RULES
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.bus import MessageBus
from shared.clock import Clock
from shared.events import ContractSignedV1, Envelope, SchoolRegisteredV1
from shared.messaging.consumer import Subscriptions, subscribe
from shared.scheduling import Job

log = logging.getLogger(__name__)

Subscribe = Callable[[Subscriptions, Callable[[], LedgerUnitOfWork]], None]


def subscriptions(clock: Clock) -> Subscribe:
    async def post_on_today(uow: LedgerUnitOfWork, envelope: Envelope[Any]) -> None:
        await post_event(uow, envelope, today=clock.today())

    def subscribe_all(subscriptions: Subscriptions, uow: Callable[[], LedgerUnitOfWork]) -> None:
        for event_type in POSTING_RULES:
            subscribe(
                subscriptions,
                consumer="ledger",
                event_type=event_type,
                uow_factory=uow,
                apply=post_on_today,
            )
        subscribe(
            subscriptions,
            consumer="ledger",
            event_type=SchoolRegisteredV1,
            uow_factory=uow,
            apply=register_school,
        )
        subscribe(
            subscriptions,
            consumer="ledger",
            event_type=ContractSignedV1,
            uow_factory=uow,
            apply=name_contract,
        )

    return subscribe_all


def jobs(
    clock: Clock, *, every_seconds: float
) -> Callable[[MessageBus[LedgerUnitOfWork]], tuple[Job, ...]]:
    def recognition_job(bus: MessageBus[LedgerUnitOfWork]) -> tuple[Job, ...]:
        async def recognise() -> None:
            try:
                await recognise_due(bus.unit_of_work(), today=clock.today())
            except IntegrityError:  # another worker posted the same recognitions first
                log.info("recognitions already posted by another worker")

        return (Job("recognition", every_seconds, recognise),)

    return recognition_job
