"""What the orders API accepts and answers, and the words it uses for an order's and its
money's states."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.bounds import (
    AcademicYear,
    Day,
    EmailAddress,
    Label,
    Line,
    Paragraph,
    Pence,
    Quantity,
    Urn,
)
from shared.events import RefundMethod, SchoolContactRole
from shared.money import VatRate


class OrderStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # over the school's limit: nothing asked for yet
    PLACED = "placed"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    NOT_ASKED = "not_asked"  # an order this moment placed, before its invoice or card payment
    AWAITING_PAYMENT = "awaiting_payment"  # a card payment the school has still to make
    INVOICED = "invoiced"  # an invoice raised, nothing yet received
    PARTLY_PAID = "partly_paid"  # remittances received, some still outstanding
    PAID = "paid"
    # given back to the card in part, or in full: refunds made, being asked of the card
    # processor, or refused by it (an order's refunded_pence and refund_*_pence tell which)
    PARTLY_REFUNDED = "partly_refunded"
    REFUNDED = "refunded"
    CREDITED = "credited"  # an invoice credited in full before anything was paid
    VOID = "void"  # a card payment cancelled before it was made


class RefundStatus(StrEnum):
    """Where a card refund stands: recorded with the change that gives the money back, then
    asked of Stripe once that change is committed (a credit note is done at once)."""

    ASKED = "asked"  # recorded, Stripe not yet known to have made it: asked again until it does
    DONE = "done"  # Stripe made it (its reference kept); the refund.issued event is sent
    FAILED = "failed"  # Stripe refused it for good: finance gives the money back another way


class PaymentMethod(StrEnum):
    INVOICE = "invoice"
    CARD = "card"


class Booking(StrEnum):
    """Where a course line's places stand, as the catalogue's capacity events tell us."""

    REQUESTED = "requested"
    RESERVED = "reserved"
    WAITING = "waiting"
    OFFERED = "offered"
    CANCELLED = "cancelled"  # the session was called off
    DECLINED = "declined"  # the school turned down the places offered
    LAPSED = "lapsed"  # the offer expired before the school accepted it
    UNPLACED = "unplaced"  # still waiting when the session could no longer be booked
    REFUSED = "refused"  # the course was no longer sold for the session's year when ordered
    TOO_LATE = "too_late"  # the session had begun when the catalogue heard of the order
    RETIRED = "retired"  # the course was retired when ordered (before orders heard of it)


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
    renews_every: str | None = Field(
        None, description="a rolling service: it renews each term or year until cancelled"
    )
    notice_days: int = Field(0, description="a rolling service: the notice that cancels it")


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
    placed_at: datetime = Field(
        description="the moment it was placed, in UTC; lists of orders are newest first by it"
    )
    lines: list[LinePublic]
    net_pence: int
    vat_pence: int
    gross_pence: int
    invoice: InvoicePublic | None
    payment_reference: str | None
    paid_pence: int
    refunded_pence: int = Field(
        description="money given back to the card: the card refunds the card processor made"
    )
    refund_asked_pence: int = Field(
        default=0,
        description="card refunds recorded and being asked of the card processor, not yet "
        "made (asked again until they are): not yet money given back",
    )
    refund_refused_pence: int = Field(
        default=0,
        description="card refunds the card processor refused for good: no money went back; "
        "still owed to the school (finance asks again, or gives it back another way)",
    )
    refundable_pence: int = Field(
        default=0,
        description="what may still be refunded to the card: paid, and not already refunded, "
        "being refunded or refused",
    )
    cancelled_on: date | None
    fulfilled_on: date | None
    trust_code: str | None = Field(None, description="a trust's order: the trust that buys")
    approve_by: date | None = Field(
        default=None, description="awaiting approval: the school approver answers by this day"
    )
    approved_by: str | None = None
    approved_on: date | None = None


class GivenBackPublic(BaseModel):
    """What one line of an order gives back when it is cancelled, and by which rule."""

    line_id: UUID | None
    title: str
    net_pence: int
    vat_pence: int
    gross_pence: int
    rule: str


class CancellationPublic(BaseModel):
    """What cancelling an order gives back, line by line: to the card it was paid with, or as a
    credit against its invoice."""

    order_id: UUID
    payment_method: PaymentMethod
    lines: list[GivenBackPublic]
    gross_pence: int


class CancelledOrderPublic(OrderPublic):
    given_back: CancellationPublic = Field(description="what this cancellation gave back")


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


class BasketPublic(BaseModel):
    urn: int
    lines: list[LinePublic]
    net_pence: int
    vat_pence: int
    gross_pence: int


class RemittancePublic(BaseModel):
    id: UUID
    invoice_id: UUID
    amount_pence: int
    received_on: date
    reference: str
    recorded_by: str


class RefundPublic(BaseModel):
    id: UUID
    order_id: UUID
    kind: str
    number: str | None
    reference: str | None
    net_pence: int
    vat_pence: int
    gross_pence: int
    issued_on: date = Field(
        description="the day the money went back (a card refund: the day the card processor "
        "made it); a card refund not yet made (asked, failed): the day it was asked"
    )
    reason: str
    asked_on: date | None = Field(
        default=None, description="a card refund: the day it was first asked"
    )
    status: RefundStatus = Field(
        description="asked: being asked of the card processor; done; failed: refused for good"
    )
    refused: str | None = Field(
        default=None, description="failed: why the card processor refused it, for finance to act"
    )
    asked_at: datetime | None = Field(
        default=None, description="a card refund: when the card processor was last asked for it"
    )
    attempt: int = Field(
        default=1, description="a card refund: 2, 3... once finance has asked again for it"
    )
    method: RefundMethod | None = Field(
        default=None,
        description="a card refund: card; or bank_transfer, the card processor having refused "
        "it, paid back by finance from the bank (its reference then the bank's)",
    )


NOT_YET_PRICED_LINES = (
    "last year's subscriptions with no price for the year yet: not renewed now, they are "
    "offered again once their prices are published"
)


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
    trust_bought: list[str] = Field(
        default=[],
        description="last year's subscriptions its trust bought for it: the trust renews",
    )
    not_yet_priced: list[str] = Field(default=[], description=NOT_YET_PRICED_LINES)
    already_bought: list[str] = Field(
        default=[],
        description="last year's subscriptions a trust has bought for it for the year already: "
        "not offered again",
    )
    net_pence: int = Field(default=0, description="what renewing charges, before VAT")
    vat_pence: int = 0
    gross_pence: int = 0


class TrustSchoolRenewalPublic(BaseModel):
    urn: int
    name: str
    lines: list[RenewalLinePublic] = Field(description="at next year's prices, the trust's off")
    not_offered: list[str]
    not_yet_priced: list[str] = Field(default=[], description=NOT_YET_PRICED_LINES)
    already_bought: list[str] = Field(
        default=[],
        description="what the trust bought for it last year that the school itself, or another "
        "trust, has bought for it for the year already: not offered again",
    )


class TrustRenewalOfferPublic(BaseModel):
    trust_code: str
    trust_name: str
    year: str
    schools: list[TrustSchoolRenewalPublic] = Field(
        description="each school the trust bought subscriptions for the year before, by name"
    )
    net_pence: int = Field(description="what renewing invoices the trust, before VAT")
    vat_pence: int
    gross_pence: int
    renewed_by: UUID | None


class RenewalStatusPublic(BaseModel):
    urn: int
    school_name: str
    last_year_net_pence: int = Field(description="its subscriptions the year before, before VAT")
    last_year_gross_pence: int
    renewed: bool
    renewed_by: UUID | None


class TrustSchoolPublic(BaseModel):
    urn: int
    name: str
    phase: str
    pupils: int | None
    basket: BasketPublic


class TrustBasketPublic(BaseModel):
    trust_code: str
    trust_name: str
    schools: list[TrustSchoolPublic] = Field(description="every school of the trust, by name")
    net_pence: int
    vat_pence: int
    gross_pence: int


class BoughtPublic(BaseModel):
    """A subscription bought for a school for an academic year, by the school itself or by a
    trust for it: neither its basket nor its trust's takes it for that year again."""

    urn: int
    service_id: UUID
    title: str
    academic_year: str = Field(description="a financial year's counts with the one it ends in")
    order_id: UUID = Field(
        description="the newest order that bought it (neither cancelled nor refunded in full)"
    )
    bought_by: str | None = Field(description="the trust that bought it; None: the school itself")
    awaiting: str | None = Field(
        None,
        description="what its order still waits for before it is bought (its approver, or its "
        "card payment); None: bought",
    )


class RollingSubscriptionPublic(BaseModel):
    id: UUID
    urn: int
    service_id: UUID
    title: str
    quantity: int
    renews_every: str
    notice_days: int
    payment_method: str
    period_start: date
    period_end: date
    next_renewal: date | None
    last_order_id: UUID
    status: str
    ends_on: date | None


class LineCreate(BaseModel):
    """A line of an order placed straight from services. A course's session is booked through
    the basket (`session_id` there): one sent here is refused, not dropped unsaid."""

    model_config = ConfigDict(extra="forbid")

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


class RenewCreate(CheckoutCreate):
    pass


class TrustCheckoutCreate(BaseModel):
    purchase_order: Label = Field(min_length=1)


class CancelCreate(BaseModel):
    reason: Paragraph = Field(min_length=1, max_length=300)


class RefundCreate(BaseModel):
    amount_pence: Pence = Field(gt=0)
    reason: Paragraph = Field(min_length=1, max_length=300)


class PaidByTransferCreate(BaseModel):
    """A card refund the card processor refused, paid back by finance from the bank instead."""

    reference: Line = Field(
        min_length=1, max_length=100, description="the bank's reference for the payment"
    )
    paid_on: Day = Field(description="the day the bank paid it; not after today")


class ApprovalPolicyCreate(BaseModel):
    spending_limit_pence: Pence | None = Field(
        default=None, description="orders above this (gross) await the approver; none: no limit"
    )
    every_order: bool = Field(default=False, description="every order awaits the approver")
    approval_days: int = Field(default=5, ge=1, le=60, description="then an order lapses")


class DecisionCreate(BaseModel):
    decision: Literal["approve", "decline"]


class ContactCreate(BaseModel):
    name: Line
    email: EmailAddress


class ContactPublic(ContactCreate):
    contact: SchoolContactRole


class ListingPublic(BaseModel):
    """A published service as orders knows it (its read model of the catalogue)."""

    service_id: UUID
    code: str
    title: str
    service_type: str
    category: str
    unit_price_pence: int
    vat_rate: VatRate
    price_version: int
    academic_years: tuple[str, ...] = ()  # the years it is sold for (none listed: any year)
