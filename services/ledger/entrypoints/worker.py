"""The ledger's subscriptions: every money event that has a posting rule, the register, and
the contracts' names."""

from __future__ import annotations

from collections.abc import Callable

from faststream.nats import NatsBroker

from services.ledger.application.handlers import name_contract, post_event, register_school
from services.ledger.application.posting import POSTING_RULES
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.events import ContractSignedV1, SchoolRegisteredV1
from shared.messaging.consumer import subscribe


def subscriptions(broker: NatsBroker, uow: Callable[[], LedgerUnitOfWork]) -> None:
    for event_type in POSTING_RULES:
        subscribe(
            broker, consumer="ledger", event_type=event_type, uow_factory=uow, apply=post_event
        )
    subscribe(
        broker,
        consumer="ledger",
        event_type=SchoolRegisteredV1,
        uow_factory=uow,
        apply=register_school,
    )
    subscribe(
        broker,
        consumer="ledger",
        event_type=ContractSignedV1,
        uow_factory=uow,
        apply=name_contract,
    )
