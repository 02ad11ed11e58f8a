"""The catalogue's API: every service whatever its status, its prices and their versions,
publishing and retiring, providers and their QA status, and the catalogue as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient, Download
from shared.tariffs import Prices


class PricesInWords(BaseModel):
    maintained: str
    academy: str | None
    out_of_area: str | None


class PriceVersion(BaseModel):
    version: int
    prices: Prices
    in_words: PricesInWords
    vat_rate: str
    effective_from: date
    year: str


class Provider(BaseModel):
    id: UUID
    name: str
    kind: str
    designation: str
    expertise: tuple[str, ...]
    qa_status: str
    qa_note: str
    rating_average: float | None
    ratings: int


class SchoolPrice(BaseModel):
    """A school's own price for one unit, and the rule that produced it in words."""

    urn: int
    unit_price_pence: int
    rule: str


class CatalogueService(BaseModel):
    id: UUID
    code: str
    title: str
    description: str
    service_type: str
    unit: str = ""
    category: str
    phases: tuple[str, ...] = ()
    academic_years: tuple[str, ...] = ()
    unit_price_pence: int
    prices: Prices | None = None
    prices_in_words: PricesInWords | None = None
    vat_rate: str
    price_version: int = 1
    price_year: str = ""
    upcoming_prices: list[PriceVersion] = []
    status: str
    provider: Provider | None = None
    rating_average: float | None = None
    ratings: int = 0
    price_for_school: SchoolPrice | None = None


class ShopFilters(BaseModel):
    categories: list[str]
    phases: tuple[str, ...]
    academic_years: list[str]
    financial_years: list[str]


@dataclass(frozen=True)
class ShopSearch:
    """A shop search as the school typed it; `year` is academic ('2026/27') or financial
    ('2026-27')."""

    q: str = ""
    category: str = ""
    phase: str = ""
    provider_id: str = ""
    year: str = ""
    page: int = 1

    def params(self, page_size: int) -> dict[str, Any]:
        year_kind = "academic_year" if "/" in self.year else "financial_year"
        given = {
            "q": self.q,
            "category": self.category,
            "phase": self.phase,
            "provider_id": self.provider_id,
            year_kind: self.year,
        }
        found = {name: value for name, value in given.items() if value}
        return {**found, "page": self.page, "page_size": page_size}


class PriceVersionSet(PriceVersion):
    created_at: datetime


class CourseSession(BaseModel):
    id: UUID
    starts_on: date
    venue: str
    online: bool
    capacity: int
    places_left: int


class ImportReport(BaseModel):
    created: int
    changed: int
    unchanged: int


class CatalogueApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def services(self) -> list[CatalogueService]:
        rows = await self._api.get("/services", page_size=200)
        return [CatalogueService.model_validate(row) for row in rows]

    async def shop_window(
        self, search: ShopSearch, *, page_size: int
    ) -> tuple[list[CatalogueService], int]:
        """One page of the published services found, each priced for the signed-in school,
        and how many were found in all."""
        rows, total = await self._api.get_page("/services", **search.params(page_size))
        return [CatalogueService.model_validate(row) for row in rows], total

    async def shop_filters(self) -> ShopFilters:
        return ShopFilters.model_validate(await self._api.get("/services/filters"))

    async def service(self, service_id: UUID) -> CatalogueService:
        return CatalogueService.model_validate(await self._api.get(f"/services/{service_id}"))

    async def create(self, fields: dict[str, Any]) -> CatalogueService:
        return CatalogueService.model_validate(await self._api.post("/services", fields))

    async def publish(self, service_id: UUID) -> CatalogueService:
        answer = await self._api.post(f"/services/{service_id}/publish")
        return CatalogueService.model_validate(answer)

    async def retire(self, service_id: UUID) -> CatalogueService:
        answer = await self._api.post(f"/services/{service_id}/retire")
        return CatalogueService.model_validate(answer)

    async def reprice(self, service_id: UUID, fields: dict[str, Any]) -> CatalogueService:
        answer = await self._api.put(f"/services/{service_id}/prices", fields)
        return CatalogueService.model_validate(answer)

    async def price_history(self, service_id: UUID) -> list[PriceVersionSet]:
        rows = await self._api.get(f"/services/{service_id}/prices")
        return [PriceVersionSet.model_validate(row) for row in rows]

    async def sessions(self, service_id: UUID) -> list[CourseSession]:
        rows = await self._api.get(f"/services/{service_id}/sessions")
        return [CourseSession.model_validate(row) for row in rows]

    async def export_csv(self) -> Download:
        return await self._api.download("/services/export.csv")

    async def import_csv(self, text: str) -> ImportReport:
        return ImportReport.model_validate(await self._api.post_csv("/services/import.csv", text))

    async def providers(self) -> list[Provider]:
        return [Provider.model_validate(row) for row in await self._api.get("/providers")]

    async def provider(self, provider_id: UUID) -> Provider:
        return Provider.model_validate(await self._api.get(f"/providers/{provider_id}"))

    async def register_provider(self, fields: dict[str, Any]) -> Provider:
        return Provider.model_validate(await self._api.post("/providers", fields))

    async def set_qa_status(self, provider_id: UUID, fields: dict[str, Any]) -> Provider:
        answer = await self._api.put(f"/providers/{provider_id}/qa-status", fields)
        return Provider.model_validate(answer)
