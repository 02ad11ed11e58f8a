"""The evaluation API: which schools took part in which services."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient


class Participation(BaseModel):
    urn: int
    school_name: str
    phase: str
    service_id: UUID
    service_title: str
    since: date


class EvaluationApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def participants(self, service_id: UUID | None = None) -> list[Participation]:
        rows = await self._api.get("/participants", service_id=service_id)
        return [Participation.model_validate(row) for row in rows]
