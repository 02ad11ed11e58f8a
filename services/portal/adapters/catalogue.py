"""The catalogue's API: every service whatever its status, and creating and publishing one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient


class CatalogueService(BaseModel):
    id: UUID
    code: str
    title: str
    description: str
    service_type: str
    category: str
    unit_price_pence: int
    vat_rate: str
    status: str


class CatalogueApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def services(self) -> list[CatalogueService]:
        return [CatalogueService.model_validate(row) for row in await self._api.get("/services")]

    async def create(self, fields: dict[str, Any]) -> CatalogueService:
        return CatalogueService.model_validate(await self._api.post("/services", fields))

    async def publish(self, service_id: UUID) -> CatalogueService:
        answer = await self._api.post(f"/services/{service_id}/publish")
        return CatalogueService.model_validate(answer)
