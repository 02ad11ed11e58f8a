"""The envelope every event travels in, and the base of every event contract.

A subject reads `<producer>.<aggregate>.<past-tense verb>.v<N>`. Within a version a contract only
gains optional fields; a breaking change is a new model with a new subject, published beside
the old one until every consumer has moved.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)
    subject: ClassVar[str]


E = TypeVar("E", bound=Event)


class Envelope(BaseModel, Generic[E]):
    model_config = ConfigDict(frozen=True)

    event_id: UUID
    type: str
    occurred_at: datetime
    producer: str
    correlation_id: str
    traceparent: str | None = None
    payload: E


def stream_of(subject: str) -> str:
    """Each producing service has one stream, named after it: `orders.…` lives in ORDERS."""
    return subject.split(".", 1)[0].upper()
