"""What the notifications API answers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel


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
