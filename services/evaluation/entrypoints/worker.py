"""Evaluation's subscriptions: orders make participants."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.evaluation.application.handlers import record_participation
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from shared.events import OrderPlacedV1
from shared.messaging.consumer import subscribe


def subscriptions(broker: NatsBroker, uow: Callable[[], EvaluationUnitOfWork]) -> None:
    subscribe(
        broker,
        consumer="evaluation",
        event_type=OrderPlacedV1,
        uow_factory=uow,
        apply=record_participation,
    )
