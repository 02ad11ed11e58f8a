from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event
from shared.events.money_fields import MoneyTotals
from shared.money import MoneyStrand, Strand, VatRate


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
    line_id: UUID | None = None
    provider_id: UUID | None = None
    session_id: UUID | None = None  # a course line: the dated session booked
    delivery_on: date | None = None  # a course: the day it runs (income recognised then)
    term_start: date | None = None  # a subscription: its term (income spread over it)
    term_end: date | None = None
    cfr_code: str | None = None  # the CFR code a maintained school books the line against
    urn: int | None = None  # a trust's order: the school of the trust this line is for


class OptionalMoney(BaseModel):
    """Money fields added to events that first went out without them (optional within v1)."""

    model_config = ConfigDict(frozen=True)

    net_pence: int | None = None
    vat_pence: int | None = None
    gross_pence: int | None = None


class SchoolFields(BaseModel):
    """The school an order is for. A trust's order (one order, one invoice for several schools
    of an academy trust) carries the trust, its customer, and names its first school here; each
    line then names the school it is for."""

    model_config = ConfigDict(frozen=True)

    urn: int
    school_name: str
    phase: str
    la_code: str
    trust_code: str | None = None
    trust_name: str | None = None


class SchoolRegisteredV1(Event):
    """A school joined (or was updated on) the register imported from DfE/GIAS extracts."""

    subject = "orders.school.registered.v1"

    urn: int
    name: str
    la_code: str
    la_name: str
    establishment_type: str
    type_group: str
    phase: str
    pupils: int | None
    postcode: str
    town: str
    trust_code: str | None = None  # the academy trust it belongs to, where it is in one
    trust_name: str | None = None


class OrderPlacedV1(Event, MoneyTotals, SchoolFields):
    """A school committed to buy these lines at these prices."""

    subject = "orders.order.placed.v1"

    order_id: UUID
    payment_method: str
    placed_on: date
    lines: tuple[OrderLineV1, ...]


class OrderPaidV1(Event, MoneyTotals, SchoolFields):
    """A card payment for the whole order succeeded (confirmed by Stripe's signed webhook)."""

    subject = "orders.order.paid.v1"

    order_id: UUID
    payment_reference: str  # the Stripe PaymentIntent id
    paid_on: date
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


class InvoiceSettledV1(Event, OptionalMoney, SchoolFields):
    """Money arrived against an invoice (a BACS remittance); part payments allowed."""

    subject = "orders.invoice.settled.v1"

    invoice_id: UUID
    invoice_number: str
    order_id: UUID
    amount_pence: int
    outstanding_pence: int
    settled_on: date
    remittance_reference: str
    strand: MoneyStrand = Strand.TRADED
    financial_year: str
    lines: tuple[OrderLineV1, ...] = ()  # the amount, spread over the invoice's lines


class OrderCancelledV1(Event, OptionalMoney, SchoolFields):
    """An order was cancelled; any refund or credit follows as its own event. The money
    fields are the order's totals (what was cancelled), not what goes back."""

    subject = "orders.order.cancelled.v1"

    order_id: UUID
    cancelled_on: date
    reason: str
    lines: tuple[OrderLineV1, ...]
    strand: MoneyStrand = Strand.TRADED
    financial_year: str | None = None


class RefundIssuedV1(Event, MoneyTotals, SchoolFields):
    """Money went back to a card; `lines` say which income it reverses."""

    subject = "orders.refund.issued.v1"

    refund_id: UUID
    order_id: UUID
    payment_reference: str
    refunded_on: date
    reason: str
    lines: tuple[OrderLineV1, ...]


class CreditNoteIssuedV1(Event, MoneyTotals, SchoolFields):
    """An invoice was reduced by a credit note; `lines` say which income it reverses."""

    subject = "orders.credit_note.issued.v1"

    credit_note_id: UUID
    credit_note_number: str
    invoice_id: UUID
    invoice_number: str
    order_id: UUID
    issued_on: date
    reason: str
    lines: tuple[OrderLineV1, ...]
    outstanding_pence: int | None = None  # what the invoice still asks for after the credit


class OrderFulfilledV1(Event, OptionalMoney, SchoolFields):
    """What was bought has been delivered: the school may now rate it."""

    subject = "orders.order.fulfilled.v1"

    order_id: UUID
    fulfilled_on: date
    lines: tuple[OrderLineV1, ...]
    strand: MoneyStrand = Strand.TRADED
    financial_year: str | None = None


class PlaceOfferAcceptedV1(Event):
    """A school accepted the course places offered to it from the waiting list."""

    subject = "orders.place_offer.accepted.v1"

    order_id: UUID
    line_id: UUID
    session_id: UUID
    urn: int


class PlaceOfferDeclinedV1(Event):
    """A school declined the course places offered to it: they pass to the next in line."""

    subject = "orders.place_offer.declined.v1"

    order_id: UUID
    line_id: UUID
    session_id: UUID
    urn: int


class ApprovalReason(StrEnum):
    """Why an order waits for the school's approver."""

    EVERY_ORDER = "every_order"  # the school asks for every order to be approved
    SPENDING_LIMIT = "spending_limit"  # it is over the school's spending limit


class ApprovalRequestedV1(Event, SchoolFields):
    """An order over the school's spending limit (or any order, if the school chose) awaits its
    approver: nothing is charged or invoiced until approved, and it lapses after `approve_by`."""

    subject = "orders.approval.requested.v1"

    order_id: UUID
    placed_on: date
    approve_by: date
    gross_pence: int
    titles: tuple[str, ...]
    reason: ApprovalReason | None = None  # None: an event from before it was said
    spending_limit_pence: int | None = None  # the limit, when that is the reason


class OrderApprovedV1(Event, SchoolFields):
    """The school's approver approved an order awaiting approval; its checkout went on."""

    subject = "orders.order.approved.v1"

    order_id: UUID
    approved_by: str
    approved_on: date


class SchoolContactRole(StrEnum):
    """The people a school names to be told things: each message goes to the one it concerns."""

    BUSINESS_MANAGER = "business_manager"
    FINANCE = "finance"
    HEADTEACHER = "headteacher"
    CHAIR_OF_GOVERNORS = "chair_of_governors"
    APPROVER = "approver"


class SchoolContactChangedV1(Event):
    """A school named (or renamed) one of its contacts."""

    subject = "orders.school_contact.changed.v1"

    urn: int
    contact: SchoolContactRole
    name: str
    email: str
