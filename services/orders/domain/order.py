"""An order: what a school bought, at the prices quoted, and how it will pay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from services.orders.domain.listing import Listing
from services.orders.domain.school import School
from shared.errors import Invalid
from shared.money import Amounts, VatRate, line_amounts, total


class PaymentMethod(StrEnum):
    INVOICE = "invoice"
    CARD = "card"


class OrderStatus(StrEnum):
    PLACED = "placed"
    AWAITING_PAYMENT = "awaiting_payment"
    INVOICED = "invoiced"
    PAID = "paid"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class RequestedLine:
    service_id: UUID
    quantity: int


@dataclass(frozen=True)
class OrderLine:
    service_id: UUID
    title: str
    service_type: str
    category: str
    price_version: int
    quantity: int
    unit_price_pence: int
    vat_rate: VatRate

    @property
    def amounts(self) -> Amounts:
        return line_amounts(
            unit_price_pence=self.unit_price_pence, quantity=self.quantity, rate=self.vat_rate
        )

    @classmethod
    def priced(cls, listing: Listing, quantity: int) -> OrderLine:
        return cls(
            service_id=listing.service_id,
            title=listing.title,
            service_type=listing.service_type,
            category=listing.category,
            price_version=listing.price_version,
            quantity=quantity,
            unit_price_pence=listing.unit_price_pence,
            vat_rate=listing.vat_rate,
        )


@dataclass(frozen=True)
class Invoice:
    id: UUID
    number: str
    order_id: UUID
    purchase_order: str
    issued_on: date
    due_on: date
    amounts: Amounts


@dataclass
class Order:
    id: UUID
    urn: int
    payment_method: PaymentMethod
    purchase_order: str | None
    placed_on: date
    lines: list[OrderLine]
    status: OrderStatus = OrderStatus.PLACED
    invoice: Invoice | None = field(default=None)

    @property
    def amounts(self) -> Amounts:
        return total([line.amounts for line in self.lines])

    @classmethod
    def place(
        cls,
        *,
        school: School,
        requested: list[RequestedLine],
        listings: dict[UUID, Listing],
        payment_method: PaymentMethod,
        purchase_order: str | None,
        today: date,
    ) -> Order:
        if not requested:
            raise Invalid("an order needs at least one line", field="lines")
        lines = []
        for index, line in enumerate(requested):
            if line.quantity < 1:
                raise Invalid("quantity must be at least 1", field=f"lines.{index}.quantity")
            listing = listings.get(line.service_id)
            if listing is None:
                raise Invalid(
                    f"service {line.service_id} is not on sale", field=f"lines.{index}.service_id"
                )
            lines.append(OrderLine.priced(listing, line.quantity))
        if payment_method is PaymentMethod.INVOICE and not (purchase_order or "").strip():
            raise Invalid("paying by invoice needs a purchase-order number", field="purchase_order")
        return cls(
            id=uuid4(),
            urn=school.urn,
            payment_method=payment_method,
            purchase_order=purchase_order,
            placed_on=today,
            lines=lines,
        )

    def raise_invoice(self, *, number: str, today: date, payment_days: int) -> Invoice:
        if (
            self.payment_method is not PaymentMethod.INVOICE
            or self.status is not OrderStatus.PLACED
        ):
            raise Invalid(
                "only a newly placed invoice order can be invoiced", field="payment_method"
            )
        self.invoice = Invoice(
            id=uuid4(),
            number=number,
            order_id=self.id,
            purchase_order=self.purchase_order or "",
            issued_on=today,
            due_on=today + timedelta(days=payment_days),
            amounts=self.amounts,
        )
        self.status = OrderStatus.INVOICED
        return self.invoice
