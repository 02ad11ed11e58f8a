"""The envelope every event travels in, and the base of every event contract.

A subject reads `<producer>.<aggregate>.<past-tense verb>.v<N>`. Within a version a contract only
gains optional fields; a breaking change is a new model with a new subject, published beside
the old one until every consumer has moved.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, ClassVar, Generic, TypeVar
from uuid import UUID, uuid4, uuid5

from pydantic import BaseModel, ConfigDict, Field


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)
    subject: ClassVar[str]


E = TypeVar("E", bound=Event)


class Envelope(BaseModel, Generic[E]):
    model_config = ConfigDict(frozen=True)

    event_id: UUID
    type: Annotated[str, Field(min_length=1, max_length=200)]  # a subject: the outbox's column
    occurred_at: datetime
    producer: Annotated[str, Field(min_length=1, max_length=60)]
    correlation_id: Annotated[str, Field(min_length=1, max_length=200)]
    traceparent: Annotated[str | None, Field(max_length=64)] = None  # W3C's is 55
    payload: E

    @classmethod
    def of(
        cls,
        event: E,
        *,
        producer: str | None = None,
        correlation_id: str | None = None,
        traceparent: str | None = None,
        event_id: UUID | None = None,
    ) -> Envelope[E]:
        """A fresh envelope for an event, by default from the service its subject names."""
        return envelope_of(type(event))(  # type: ignore[no-any-return]
            event_id=event_id or uuid4(),
            type=event.subject,
            occurred_at=datetime.now(UTC),
            producer=producer or producer_of(event.subject),
            correlation_id=correlation_id or str(uuid4()),
            traceparent=traceparent,
            payload=event,
        )


@cache
def envelope_of(event_type: type[Event]) -> Any:
    """`Envelope[event_type]`, made once. Pydantic keeps a parametrised model only while
    something else refers to it: otherwise every garbage collection drops it, and the next
    `Envelope[...]` builds the class again, a cost far above reading or writing one event."""
    return Envelope[event_type]  # type: ignore[valid-type]


# The namespace of ids derived from a cause (never change it: replays must re-derive the same ids).
_CAUSED_BY = UUID("9a3c2f60-5d0e-4b8e-a1f7-3e64c1d2b7a5")


def caused_event_id(cause: UUID | str, subject: str, *part: object) -> UUID:
    """The id of an event produced in answer to something: derived from its cause (the source
    event's id, or the key of what it answers) and which answer it is, so that a replay
    produces the same id and the stream's duplicate window and every inbox drop the copy."""
    return uuid5(_CAUSED_BY, "|".join(str(item) for item in (cause, subject, *part)))


def producer_of(subject: str) -> str:
    """The service a subject names first: `orders.order.placed.v1` is orders'."""
    return subject.split(".", 1)[0]


def stream_of(subject: str) -> str:
    """Each producing service has one stream, named after it: `orders.…` lives in ORDERS."""
    return producer_of(subject).upper()
