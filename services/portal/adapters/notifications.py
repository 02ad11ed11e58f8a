"""The notifications API: the messages sent to the signed-in user."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient


class Message(BaseModel):
    id: UUID
    subject: str
    body: str
    link: str
    created_at: datetime
    read: bool


class NotificationsApi:
    def __init__(self, client: ApiClient) -> None:
        self._client = client

    async def messages(self) -> list[Message]:
        return [Message.model_validate(found) for found in await self._client.get("/messages")]

    async def mark_read(self, message_id: UUID) -> Message:
        return Message.model_validate(await self._client.post(f"/messages/{message_id}/read"))
