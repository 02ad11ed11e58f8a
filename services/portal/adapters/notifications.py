"""The notifications API: the messages sent to the signed-in user."""

from __future__ import annotations

from uuid import UUID

from services.portal.adapters.http import ApiClient
from shared.api.notifications import MessagePublic


class NotificationsApi:
    def __init__(self, client: ApiClient) -> None:
        self._client = client

    async def messages(self) -> list[MessagePublic]:
        return [
            MessagePublic.model_validate(found) for found in await self._client.get("/messages")
        ]

    async def mark_read(self, message_id: UUID) -> MessagePublic:
        return MessagePublic.model_validate(await self._client.post(f"/messages/{message_id}/read"))
