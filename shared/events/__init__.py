"""Versioned event contracts: one frozen model per event, declared once, used by every service."""

from shared.events.base import Envelope, Event, stream_of
from shared.events.catalogue import ServicePublishedV1
from shared.events.commissioning import MilestoneCompletedV1
from shared.events.ledger import TransactionPostedV1
from shared.events.orders import InvoiceRaisedV1, OrderPlacedV1

ALL_EVENTS: tuple[type[Event], ...] = (
    ServicePublishedV1,
    OrderPlacedV1,
    InvoiceRaisedV1,
    MilestoneCompletedV1,
    TransactionPostedV1,
)

__all__ = [
    "ALL_EVENTS",
    "Envelope",
    "Event",
    "InvoiceRaisedV1",
    "MilestoneCompletedV1",
    "OrderPlacedV1",
    "ServicePublishedV1",
    "TransactionPostedV1",
    "stream_of",
]
