"""The notifications API's HTTP models."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from services.notifications.adapters.messages import StoredMessage


class MessagePublic(BaseModel):
    id: UUID
    recipient: str
    template: str
    subject: str
    body: str
    link: str
    cause_event_id: str | None
    created_at: datetime
    status: str
    attempts: int
    sent_at: datetime | None
    outcome: str | None
    read: bool

    @classmethod
    def of(cls, message: StoredMessage) -> MessagePublic:
        fields = {name: getattr(message, name) for name in cls.model_fields if name != "read"}
        return cls(**fields, read=message.read_at is not None)
