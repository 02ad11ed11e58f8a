"""The catalogue's API: every service whatever its status, its prices and their versions,
publishing and retiring, providers and their QA status, and the catalogue as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.portal.adapters.http import ApiClient, Download
from shared.api.catalogue import (
    BookingPublic,
    ImportReportPublic,
    PriceVersionSetPublic,
    ProviderPublic,
    ServicePublic,
    SessionPublic,
    ShopFiltersPublic,
    WaitingPlacePublic,
)


@dataclass(frozen=True)
class ShopSearch:
    """A shop search as the school typed it; `year` is the academic year ('2026/27') it buys
    for: the services run in it, subscriptions priced for it."""

    q: str = ""
    category: str = ""
    phase: str = ""
    provider_id: str = ""
    year: str = ""
    page: int = 1

    def params(self, page_size: int) -> dict[str, Any]:
        given = {
            "q": self.q,
            "category": self.category,
            "phase": self.phase,
            "provider_id": self.provider_id,
            "academic_year": self.year,
        }
        found = {name: value for name, value in given.items() if value}
        return {**found, "page": self.page, "page_size": page_size}


class CatalogueApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def services(self) -> list[ServicePublic]:
        return await self._api.get_list(ServicePublic, "/services", page_size=200)

    async def shop_window(
        self, search: ShopSearch, *, page_size: int
    ) -> tuple[list[ServicePublic], int]:
        """One page of the published services found, each priced for the signed-in school,
        and how many were found in all."""
        rows, total = await self._api.get_page("/services", **search.params(page_size))
        return [ServicePublic.model_validate(row) for row in rows], total

    async def shop_filters(self) -> ShopFiltersPublic:
        return ShopFiltersPublic.model_validate(await self._api.get("/services/filters"))

    async def service(
        self, service_id: UUID, *, year: str | None = None, urn: int | None = None
    ) -> ServicePublic:
        """The service, priced as bought today or, for a subscription, for the academic
        `year` (its `for_year`); for the signed-in school, or (a trust's buyer) its school `urn`."""
        return ServicePublic.model_validate(
            await self._api.get(f"/services/{service_id}", academic_year=year, urn=urn)
        )

    async def create(self, fields: dict[str, Any]) -> ServicePublic:
        return ServicePublic.model_validate(await self._api.post("/services", fields))

    async def publish(self, service_id: UUID) -> ServicePublic:
        return ServicePublic.model_validate(await self._api.post(f"/services/{service_id}/publish"))

    async def retire(self, service_id: UUID) -> ServicePublic:
        return ServicePublic.model_validate(await self._api.post(f"/services/{service_id}/retire"))

    async def reprice(self, service_id: UUID, fields: dict[str, Any]) -> ServicePublic:
        return ServicePublic.model_validate(
            await self._api.put(f"/services/{service_id}/prices", fields)
        )

    async def price_history(self, service_id: UUID) -> list[PriceVersionSetPublic]:
        return await self._api.get_list(PriceVersionSetPublic, f"/services/{service_id}/prices")

    async def waiting_places(self, urn: int) -> dict[tuple[UUID, UUID], int]:
        """The school's order lines waiting for places, each with its place in line now (by
        order and line)."""
        found = await self._api.get_list(WaitingPlacePublic, f"/schools/{urn}/waiting-places")
        return {(place.order_id, place.line_id): place.position for place in found}

    async def bookable_sessions(self, service_id: UUID) -> list[SessionPublic]:
        """A course's sessions a school can still book (not called off, not begun)."""
        return await self._api.get_list(
            SessionPublic, f"/services/{service_id}/sessions", bookable="true"
        )

    async def sessions(self, service_id: UUID) -> list[SessionPublic]:
        """Every session of a course, called off and past ones too."""
        return await self._api.get_list(SessionPublic, f"/services/{service_id}/sessions")

    async def bookings(self, session_id: UUID) -> list[BookingPublic]:
        """Who holds places on a session and who waits, each waiting one by its place in line."""
        return await self._api.get_list(BookingPublic, f"/sessions/{session_id}/bookings")

    async def export_csv(self) -> Download:
        return await self._api.download("/services/export.csv")

    async def import_csv(self, text: str) -> ImportReportPublic:
        return ImportReportPublic.model_validate(
            await self._api.post_csv("/services/import.csv", text)
        )

    async def providers(self) -> list[ProviderPublic]:
        return await self._api.get_list(ProviderPublic, "/providers")

    async def provider(self, provider_id: UUID) -> ProviderPublic:
        return ProviderPublic.model_validate(await self._api.get(f"/providers/{provider_id}"))

    async def register_provider(self, fields: dict[str, Any]) -> ProviderPublic:
        return ProviderPublic.model_validate(await self._api.post("/providers", fields))

    async def set_qa_status(self, provider_id: UUID, fields: dict[str, Any]) -> ProviderPublic:
        return ProviderPublic.model_validate(
            await self._api.put(f"/providers/{provider_id}/qa-status", fields)
        )
