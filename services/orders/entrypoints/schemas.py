"""HTTP models: what the orders API accepts and answers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from services.orders.adapters.payments import Refund, Remittance
from services.orders.application.checkout import CheckedOut
from services.orders.domain.basket import Basket
from services.orders.domain.invoice import vat_breakdown
from services.orders.domain.lines import Booking, OrderLine
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.states import OrderStatus, PaymentStatus
from shared.bounds import AcademicYear, Day, Label, Line, Paragraph, Pence, Quantity, Urn
from shared.money import VatRate


class LineCreate(BaseModel):
    service_id: UUID
    quantity: Quantity


class OrderCreate(BaseModel):
    urn: Urn
    lines: list[LineCreate] = Field(min_length=1, max_length=100)
    payment_method: PaymentMethod
    purchase_order: Label | None = None


class BasketLineCreate(BaseModel):
    service_id: UUID
    quantity: Quantity
    session_id: UUID | None = Field(None, description="a course: the dated session")
    academic_year: AcademicYear | None = Field(
        None, description="a subscription: the year it covers, e.g. 2026/27 (default: this one)"
    )


class BasketLineChange(BaseModel):
    quantity: Quantity


class CheckoutCreate(BaseModel):
    payment_method: PaymentMethod
    purchase_order: Label | None = None


class LinePublic(BaseModel):
    line_id: UUID | None
    service_id: UUID
    title: str
    service_type: str
    category: str
    quantity: int
    unit_price_pence: int
    vat_rate: VatRate
    net_pence: int
    vat_pence: int
    gross_pence: int
    price_version: int
    session_id: UUID | None
    delivery_on: date | None
    term_start: date | None
    term_end: date | None
    booking: Booking | None
    waiting_position: int | None
    offer_expires_at: datetime | None
    cfr_code: str | None
    school_urn: int | None = Field(None, description="a trust's order: the school it is for")

    @classmethod
    def of(cls, line: OrderLine) -> LinePublic:
        amounts = line.amounts
        return cls(
            **line.__dict__,
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
        )


class VatBandPublic(BaseModel):
    rate: VatRate
    percent: int
    net_pence: int
    vat_pence: int


class InvoicePublic(BaseModel):
    id: UUID
    number: str
    order_id: UUID
    purchase_order: str
    issued_on: date
    due_on: date
    net_pence: int
    vat_pence: int
    gross_pence: int
    paid_pence: int
    credited_pence: int
    outstanding_pence: int
    owed_to_school_pence: int
    vat_breakdown: list[VatBandPublic]

    @classmethod
    def of(cls, order: Order) -> InvoicePublic:
        invoice = order.invoice
        assert invoice is not None
        return cls(
            **{k: v for k, v in invoice.__dict__.items() if k != "amounts"},
            net_pence=invoice.amounts.net,
            vat_pence=invoice.amounts.vat,
            gross_pence=invoice.amounts.gross,
            outstanding_pence=invoice.outstanding_pence,
            owed_to_school_pence=invoice.owed_to_school_pence,
            vat_breakdown=[
                VatBandPublic(**band.__dict__, percent=band.rate.percent)
                for band in vat_breakdown(order.lines)
            ],
        )


class OrderPublic(BaseModel):
    id: UUID
    urn: int
    status: OrderStatus = Field(
        description="the order's own state: awaiting_approval, placed, fulfilled, cancelled"
    )
    payment_status: PaymentStatus = Field(description="its money's state, apart from the order's")
    payment_method: PaymentMethod
    purchase_order: str | None
    placed_on: date
    lines: list[LinePublic]
    net_pence: int
    vat_pence: int
    gross_pence: int
    invoice: InvoicePublic | None
    payment_reference: str | None
    paid_pence: int
    refunded_pence: int
    cancelled_on: date | None
    fulfilled_on: date | None
    trust_code: str | None = Field(None, description="a trust's order: the trust that buys")
    approve_by: date | None = Field(
        default=None, description="awaiting approval: the school approver answers by this day"
    )
    approved_by: str | None = None
    approved_on: date | None = None

    @classmethod
    def of(cls, order: Order) -> OrderPublic:
        amounts = order.amounts
        return cls(
            id=order.id,
            urn=order.urn,
            status=order.status,
            payment_status=order.payment_status,
            payment_method=order.payment_method,
            purchase_order=order.purchase_order,
            placed_on=order.placed_on,
            lines=[LinePublic.of(line) for line in order.lines],
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
            invoice=InvoicePublic.of(order) if order.invoice else None,
            payment_reference=order.payment_reference,
            paid_pence=order.paid_pence,
            refunded_pence=order.refunded_pence,
            cancelled_on=order.cancelled_on,
            fulfilled_on=order.fulfilled_on,
            trust_code=order.trust_code,
            approve_by=order.approve_by,
            approved_by=order.approved_by,
            approved_on=order.approved_on,
        )


class BookingPublic(BaseModel):
    """A course line's places, as the catalogue's capacity events left them."""

    order_id: UUID
    urn: int
    order_status: OrderStatus
    line: LinePublic


class PaymentPublic(BaseModel):
    """What the browser needs to confirm a card payment with Stripe's Payment Element."""

    reference: str
    client_secret: str
    status: str
    amount_pence: int


class CheckoutPublic(OrderPublic):
    payment: PaymentPublic | None = None

    @classmethod
    def of_checkout(cls, checked_out: CheckedOut) -> CheckoutPublic:
        """The order, and the card payment for the browser to confirm if it awaits one."""
        payment = checked_out.payment
        return cls(
            **dict(OrderPublic.of(checked_out.order)),
            payment=PaymentPublic(**payment.__dict__) if payment else None,
        )


class BasketPublic(BaseModel):
    urn: int
    lines: list[LinePublic]
    net_pence: int
    vat_pence: int
    gross_pence: int

    @classmethod
    def of(cls, basket: Basket) -> BasketPublic:
        amounts = basket.amounts
        return cls(
            urn=basket.urn,
            lines=[LinePublic.of(line) for line in basket.lines],
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
        )


class RemittanceCreate(BaseModel):
    amount_pence: Pence = Field(gt=0)
    received_on: Day
    reference: Line = Field(min_length=1, max_length=100, description="the BACS reference")


class RemittancePublic(BaseModel):
    id: UUID
    invoice_id: UUID
    amount_pence: int
    received_on: date
    reference: str
    recorded_by: str

    @classmethod
    def of(cls, remittance: Remittance) -> RemittancePublic:
        return cls(**remittance.__dict__)


class CancelCreate(BaseModel):
    reason: Paragraph = Field(min_length=1, max_length=300)


class RefundCreate(BaseModel):
    amount_pence: Pence = Field(gt=0)
    reason: Paragraph = Field(min_length=1, max_length=300)


class RefundPublic(BaseModel):
    id: UUID
    order_id: UUID
    kind: str
    number: str | None
    reference: str | None
    net_pence: int
    vat_pence: int
    gross_pence: int
    issued_on: date
    reason: str

    @classmethod
    def of(cls, refund: Refund) -> RefundPublic:
        return cls(**refund.__dict__, gross_pence=refund.gross_pence)


class RenewCreate(BaseModel):
    payment_method: PaymentMethod
    purchase_order: Label | None = None


class RenewalLinePublic(BaseModel):
    service_id: UUID
    title: str
    quantity: int
    unit_price_pence: int
    price_version: int
    vat_rate: VatRate


class RenewalOfferPublic(BaseModel):
    urn: int
    year: str
    lines: list[RenewalLinePublic]
    not_offered: list[str]
    renewed_by: UUID | None


class RenewalStatusPublic(BaseModel):
    urn: int
    school_name: str
    last_year_gross_pence: int
    renewed: bool
    renewed_by: UUID | None
