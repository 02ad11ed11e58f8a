"""The orders API: what a school can buy (its listings), placing an order, and orders."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient, ApiError, Problem


class Listing(BaseModel):
    service_id: UUID
    code: str
    title: str
    service_type: str
    category: str
    unit_price_pence: int
    vat_rate: str


class OrderLine(BaseModel):
    service_id: UUID
    title: str
    category: str
    quantity: int
    unit_price_pence: int
    vat_rate: str
    net_pence: int
    vat_pence: int
    gross_pence: int


class Invoice(BaseModel):
    number: str
    purchase_order: str
    issued_on: date
    due_on: date


class Order(BaseModel):
    id: UUID
    urn: int
    status: str
    payment_method: str
    placed_on: date
    lines: list[OrderLine]
    net_pence: int
    vat_pence: int
    gross_pence: int
    invoice: Invoice | None


class OrdersApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def listings(self) -> list[Listing]:
        return [Listing.model_validate(row) for row in await self._api.get("/listings")]

    async def listing(self, service_id: UUID) -> Listing:
        """The orders API has no single-listing route yet, so this picks it from the list."""
        for listing in await self.listings():
            if listing.service_id == service_id:
                return listing
        raise ApiError(404, [Problem("service_id", f"no service {service_id} on sale")])

    async def place_by_invoice(
        self, *, urn: int, service_id: UUID, quantity: int, purchase_order: str
    ) -> Order:
        body = {
            "urn": urn,
            "lines": [{"service_id": str(service_id), "quantity": quantity}],
            "payment_method": "invoice",
            "purchase_order": purchase_order,
        }
        return Order.model_validate(await self._api.post("/orders", body))

    async def orders(self) -> list[Order]:
        return [Order.model_validate(row) for row in await self._api.get("/orders")]

    async def order(self, order_id: UUID) -> Order:
        return Order.model_validate(await self._api.get(f"/orders/{order_id}"))
