"""Evaluation's subscriptions: orders paid or invoiced (until cancelled) and deployments make
participants; fulfilled orders and deployments make deliveries to rate;
the register feeds comparison groups; the ledger's postings give programme costs."""

from __future__ import annotations

from collections.abc import Callable

from services.evaluation.application import events_in
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from shared.events import (
    DeploymentCompletedV1,
    InvoiceRaisedV1,
    OrderCancelledV1,
    OrderFulfilledV1,
    OrderPaidV1,
    SchoolRegisteredV1,
    TransactionPostedV1,
)
from shared.messaging.consumer import Subscriptions, subscribe

APPLIES = (
    (OrderPaidV1, events_in.record_paid_participation),
    (InvoiceRaisedV1, events_in.record_invoiced_participation),
    (OrderCancelledV1, events_in.withdraw_participation),
    (SchoolRegisteredV1, events_in.register_school),
    (OrderFulfilledV1, events_in.invite_rating_of_order),
    (DeploymentCompletedV1, events_in.record_deployment),
    (TransactionPostedV1, events_in.record_costs),
)


def subscriptions(subscriptions: Subscriptions, uow: Callable[[], EvaluationUnitOfWork]) -> None:
    for event_type, apply in APPLIES:
        subscribe(
            subscriptions,
            consumer="evaluation",
            event_type=event_type,
            uow_factory=uow,
            apply=apply,  # type: ignore[arg-type]
        )
