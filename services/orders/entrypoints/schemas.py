"""HTTP models: what the orders API accepts and answers."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from services.orders.adapters.payments import Refund, Remittance
from services.orders.application.checkout import CheckedOut
from services.orders.domain.basket import Basket
from services.orders.domain.invoice import vat_breakdown
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order, PaymentMethod
from shared.api import orders as contract
from shared.bounds import AcademicYear, Day, Label, Line, Paragraph, Pence, Quantity, Urn


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


class LineQuantityCreate(BaseModel):
    quantity: Quantity


class CheckoutCreate(BaseModel):
    payment_method: PaymentMethod
    purchase_order: Label | None = None


class LinePublic(contract.LinePublic):
    @classmethod
    def of(cls, line: OrderLine) -> LinePublic:
        amounts = line.amounts
        return cls(
            **line.__dict__,
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
        )


class InvoicePublic(contract.InvoicePublic):
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
                contract.VatBandPublic(**band.__dict__, percent=band.rate.percent)
                for band in vat_breakdown(order.lines)
            ],
        )


class OrderPublic(contract.OrderPublic):
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


class CheckoutPublic(contract.CheckoutPublic):
    @classmethod
    def of_checkout(cls, checked_out: CheckedOut) -> CheckoutPublic:
        """The order, and the card payment for the browser to confirm if it awaits one."""
        payment = checked_out.payment
        return cls(
            **dict(OrderPublic.of(checked_out.order)),
            payment=contract.PaymentPublic(**payment.__dict__) if payment else None,
        )


class BasketPublic(contract.BasketPublic):
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


class RemittancePublic(contract.RemittancePublic):
    @classmethod
    def of(cls, remittance: Remittance) -> RemittancePublic:
        return cls(**remittance.__dict__)


class CancelCreate(BaseModel):
    reason: Paragraph = Field(min_length=1, max_length=300)


class RefundCreate(BaseModel):
    amount_pence: Pence = Field(gt=0)
    reason: Paragraph = Field(min_length=1, max_length=300)


class RefundPublic(contract.RefundPublic):
    @classmethod
    def of(cls, refund: Refund) -> RefundPublic:
        return cls(**refund.__dict__, gross_pence=refund.gross_pence)


class RenewCreate(BaseModel):
    payment_method: PaymentMethod
    purchase_order: Label | None = None
