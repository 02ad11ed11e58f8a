from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.bounds import (
    ClockVersion,
    Count,
    Day,
    EmailAddress,
    EventItems,
    FinancialYear,
    Label,
    Line,
    LinePence,
    Moment,
    Paragraph,
    Pence,
    Quantity,
    TotalPence,
    Urn,
)
from shared.events.base import Event
from shared.events.money_fields import GrossIsNetPlusVat, MoneyTotals
from shared.money import MoneyStrand, Strand, VatRate

# The widths of the orders service's own columns, which every copy elsewhere holds too.
LaCode = Annotated[Label, Field(max_length=10)]
Phase = Annotated[Label, Field(max_length=40)]
TrustCode = Annotated[Label, Field(max_length=20)]
DocumentNumber = Annotated[Label, Field(max_length=20)]  # an invoice's or a credit note's
Reference = Annotated[Line, Field(max_length=100)]  # a payment's or a remittance's
Reason = Annotated[Paragraph, Field(max_length=300)]

MAX_TERM = timedelta(days=2 * 366)
"""The longest term a line can cover: what we sell runs a year (academic or financial) or a
school term, so this leaves room to spare and keeps a line's recognition schedule short."""


class OrderLineV1(GrossIsNetPlusVat):
    model_config = ConfigDict(frozen=True)

    service_id: UUID
    title: Line
    service_type: Annotated[Label, Field(max_length=20)]
    category: Label
    price_version: Count
    quantity: Quantity
    unit_price_pence: Pence
    vat_rate: VatRate
    net_pence: LinePence
    vat_pence: LinePence
    gross_pence: LinePence
    line_id: UUID | None = None
    provider_id: UUID | None = None
    session_id: UUID | None = None  # a course line: the dated session booked
    delivery_on: Day | None = None  # a course: the day it runs (income recognised then)
    # a subscription: its term (income spread over it); a line given back, the part of its term
    # given back, which starts after the term's end when none of it was left
    term_start: Day | None = None
    term_end: Day | None = None
    # the CFR code a maintained school books the line against
    cfr_code: Annotated[Label, Field(max_length=4)] | None = None
    urn: Urn | None = None  # a trust's order: the school of the trust this line is for
    # a line given back whole (its session called off, its offered places declined or lapsed)
    # whose school keeps no other line of the service on the order: it takes no part in it
    withdrawn: bool = False

    @model_validator(mode="after")
    def _term_within_bounds(self) -> Self:
        if self.term_start and self.term_end and self.term_end - self.term_start > MAX_TERM:
            raise ValueError(f"a term covers at most {MAX_TERM.days} days")
        return self


class OptionalMoney(GrossIsNetPlusVat):
    """Money fields added to events that first went out without them (optional within v1)."""

    model_config = ConfigDict(frozen=True)

    net_pence: TotalPence | None = None
    vat_pence: TotalPence | None = None
    gross_pence: TotalPence | None = None


class SchoolFields(BaseModel):
    """The school an order is for. A trust's order (one order, one invoice for several schools
    of an academy trust) carries the trust, its customer, and names its first school here; each
    line then names the school it is for."""

    model_config = ConfigDict(frozen=True)

    urn: Urn
    school_name: Line
    phase: Phase
    la_code: LaCode
    trust_code: TrustCode | None = None
    trust_name: Line | None = None


class SchoolRegisteredV1(Event):
    """A school joined (or was updated on) the register imported from DfE/GIAS extracts."""

    subject = "orders.school.registered.v1"

    urn: Urn
    name: Line
    la_code: LaCode
    la_name: Annotated[Line, Field(max_length=100)]
    establishment_type: Annotated[Line, Field(max_length=100)]
    type_group: Label
    phase: Phase
    pupils: Count | None
    postcode: Annotated[Label, Field(max_length=10)]
    town: Annotated[Line, Field(max_length=100)]
    trust_code: TrustCode | None = None  # the academy trust it belongs to, where it is in one
    trust_name: Line | None = None
    # the school's entry on orders' register, higher each time it changes (from the clock, see
    # `School.entered_after`): a copy keeps the highest it was given, so an older extract applied
    # late changes nothing (0: an event from before the count, older than any that carries one)
    version: ClockVersion = 0


class OrderPlacedV1(Event, MoneyTotals, SchoolFields):
    """A school committed to buy these lines at these prices."""

    subject = "orders.order.placed.v1"

    order_id: UUID
    payment_method: Annotated[Label, Field(max_length=10)]
    placed_on: Day
    lines: Annotated[tuple[OrderLineV1, ...], EventItems]
    # the moment it was placed (None: an order announced before it was told), by which the
    # catalogue tells whether the course was still sold for a session's year then
    placed_at: Moment | None = None


class OrderPaidV1(Event, MoneyTotals, SchoolFields):
    """A card payment for the whole order succeeded (confirmed by Stripe's signed webhook)."""

    subject = "orders.order.paid.v1"

    order_id: UUID
    payment_reference: Reference  # the Stripe PaymentIntent id
    paid_on: Day
    lines: Annotated[tuple[OrderLineV1, ...], EventItems]


class InvoiceRaisedV1(Event, MoneyTotals, SchoolFields):
    """The school owes this invoice's gross amount by its due date."""

    subject = "orders.invoice.raised.v1"

    invoice_id: UUID
    invoice_number: DocumentNumber
    order_id: UUID
    purchase_order: Label
    issued_on: Day
    due_on: Day
    lines: Annotated[tuple[OrderLineV1, ...], EventItems]


class InvoiceSettledV1(Event, OptionalMoney, SchoolFields):
    """Money arrived against an invoice (a BACS remittance); part payments allowed."""

    subject = "orders.invoice.settled.v1"

    invoice_id: UUID
    invoice_number: DocumentNumber
    order_id: UUID
    amount_pence: TotalPence
    outstanding_pence: TotalPence
    settled_on: Day
    remittance_reference: Reference
    strand: MoneyStrand = Strand.TRADED
    financial_year: FinancialYear
    lines: Annotated[
        tuple[OrderLineV1, ...], EventItems
    ] = ()  # the amount, spread over the invoice's lines


class OrderCancelledV1(Event, OptionalMoney, SchoolFields):
    """An order was cancelled; any refund or credit follows as its own event. The money
    fields are the order's totals (what was cancelled), not what goes back."""

    subject = "orders.order.cancelled.v1"

    order_id: UUID
    cancelled_on: Day
    reason: Reason
    lines: Annotated[tuple[OrderLineV1, ...], EventItems]
    strand: MoneyStrand = Strand.TRADED
    financial_year: FinancialYear | None = None


class RefundMethod(StrEnum):
    """How the money of a card payment went back."""

    CARD = "card"  # the card processor refunded it to the card
    # the card processor refused (the card closed, say): finance paid it from the bank instead
    BANK_TRANSFER = "bank_transfer"


class RefundIssuedV1(Event, MoneyTotals, SchoolFields):
    """Money of a card payment went back, on `refunded_on`: to the card, or, the card processor
    having refused, by bank transfer (`method`); `lines` say which income it reverses."""

    subject = "orders.refund.issued.v1"

    refund_id: UUID
    order_id: UUID
    payment_reference: Reference  # the card payment it gives back
    refunded_on: Day
    reason: Reason
    lines: Annotated[tuple[OrderLineV1, ...], EventItems]
    method: RefundMethod = RefundMethod.CARD
    transfer_reference: Reference | None = None  # by bank transfer: the bank's payment reference
    # this refund leaves the order's payment refunded in full: orders counts the order as having
    # bought nothing (False: an event from before the field, or a part refund)
    order_refunded_in_full: bool = False

    @model_validator(mode="after")
    def _transfer_named(self) -> Self:
        """Finance reconciles a refund paid from the bank by the reference on the statement."""
        if self.method is RefundMethod.BANK_TRANSFER and not self.transfer_reference:
            raise ValueError("a refund by bank transfer names the bank's payment reference")
        return self


class CreditNoteIssuedV1(Event, MoneyTotals, SchoolFields):
    """An invoice was reduced by a credit note; `lines` say which income it reverses."""

    subject = "orders.credit_note.issued.v1"

    credit_note_id: UUID
    credit_note_number: DocumentNumber
    invoice_id: UUID
    invoice_number: DocumentNumber
    order_id: UUID
    issued_on: Day
    reason: Reason
    lines: Annotated[tuple[OrderLineV1, ...], EventItems]
    outstanding_pence: TotalPence | None = None  # what the invoice still asks for after the credit


class OrderFulfilledV1(Event, OptionalMoney, SchoolFields):
    """What was bought has been delivered: the school may now rate it."""

    subject = "orders.order.fulfilled.v1"

    order_id: UUID
    fulfilled_on: Day
    lines: Annotated[tuple[OrderLineV1, ...], EventItems]
    strand: MoneyStrand = Strand.TRADED
    financial_year: FinancialYear | None = None


class PlaceOfferAcceptedV1(Event):
    """A school accepted the course places offered to it from the waiting list."""

    subject = "orders.place_offer.accepted.v1"

    order_id: UUID
    line_id: UUID
    session_id: UUID
    urn: Urn


class PlaceOfferDeclinedV1(Event):
    """A school declined the course places offered to it: they pass to the next in line."""

    subject = "orders.place_offer.declined.v1"

    order_id: UUID
    line_id: UUID
    session_id: UUID
    urn: Urn


class ApprovalReason(StrEnum):
    """Why an order waits for the school's approver."""

    EVERY_ORDER = "every_order"  # the school asks for every order to be approved
    SPENDING_LIMIT = "spending_limit"  # it is over the school's spending limit


class ApprovalRequestedV1(Event, SchoolFields):
    """An order over the school's spending limit (or any order, if the school chose) awaits its
    approver: nothing is charged or invoiced until approved, and it lapses after `approve_by`."""

    subject = "orders.approval.requested.v1"

    order_id: UUID
    placed_on: Day
    approve_by: Day
    gross_pence: TotalPence
    titles: Annotated[tuple[Line, ...], EventItems]
    reason: ApprovalReason | None = None  # None: an event from before it was said
    spending_limit_pence: Pence | None = None  # the limit, when that is the reason


class OrderApprovedV1(Event, SchoolFields):
    """The school's approver approved an order awaiting approval; its checkout went on."""

    subject = "orders.order.approved.v1"

    order_id: UUID
    approved_by: Line
    approved_on: Day


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

    urn: Urn
    contact: SchoolContactRole
    name: Line
    email: EmailAddress
