from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event
from shared.events.money_fields import MoneyTotals
from shared.money import VatRate


class OrderLineV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    service_id: UUID
    title: str
    service_type: str
    category: str
    price_version: int
    quantity: int
    unit_price_pence: int
    vat_rate: VatRate
    net_pence: int
    vat_pence: int
    gross_pence: int


class SchoolFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    urn: int
    school_name: str
    phase: str
    la_code: str


class OrderPlacedV1(Event, MoneyTotals, SchoolFields):
    """A school committed to buy these lines at these prices."""

    subject = "orders.order.placed.v1"

    order_id: UUID
    payment_method: str
    placed_on: date
    lines: tuple[OrderLineV1, ...]


class InvoiceRaisedV1(Event, MoneyTotals, SchoolFields):
    """The school owes this invoice's gross amount by its due date."""

    subject = "orders.invoice.raised.v1"

    invoice_id: UUID
    invoice_number: str
    order_id: UUID
    purchase_order: str
    issued_on: date
    due_on: date
    lines: tuple[OrderLineV1, ...]
