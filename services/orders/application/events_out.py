"""The events orders publishes, built from its aggregates."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.orders.domain.approval import ApprovalPolicy
from services.orders.domain.invoice import Invoice
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order
from services.orders.domain.refunds import LineRefund, allocate
from services.orders.domain.school import School
from shared.calendar import financial_year
from shared.events import (
    ApprovalRequestedV1,
    CreditNoteIssuedV1,
    Envelope,
    Event,
    InvoiceRaisedV1,
    InvoiceSettledV1,
    OrderApprovedV1,
    OrderCancelledV1,
    OrderFulfilledV1,
    OrderPaidV1,
    OrderPlacedV1,
    RefundIssuedV1,
    RefundMethod,
    SchoolRegisteredV1,
)
from shared.events.orders import ApprovalReason, OrderLineV1
from shared.money import Amounts, Strand, total


def school_registered(school: School) -> SchoolRegisteredV1:
    return SchoolRegisteredV1(**school.__dict__)


def order_placed(order: Order, school: School) -> OrderPlacedV1:
    return OrderPlacedV1(
        order_id=order.id,
        payment_method=order.payment_method.value,
        placed_on=order.placed_on,
        placed_at=order.placed_at,
        lines=_lines(order.lines),
        **_school(school, order),
        **_money(order.amounts, financial_year(order.placed_on)),
    )


def approval_requested(
    order: Order, school: School, *, policy: ApprovalPolicy
) -> ApprovalRequestedV1:
    assert order.approve_by is not None
    reason = policy.reason(order.amounts.gross)
    over_limit = reason is ApprovalReason.SPENDING_LIMIT
    return ApprovalRequestedV1(
        order_id=order.id,
        placed_on=order.placed_on,
        approve_by=order.approve_by,
        gross_pence=order.amounts.gross,
        titles=tuple(line.title for line in order.lines),
        reason=reason,
        spending_limit_pence=policy.spending_limit_pence if over_limit else None,
        **_school(school, order),
    )


def order_approved(order: Order, school: School) -> OrderApprovedV1:
    assert order.approved_by is not None and order.approved_on is not None
    return OrderApprovedV1(
        order_id=order.id,
        approved_by=order.approved_by,
        approved_on=order.approved_on,
        **_school(school, order),
    )


def order_paid(order: Order, school: School, *, paid_on: date) -> OrderPaidV1:
    return OrderPaidV1(
        order_id=order.id,
        payment_reference=order.payment_reference or "",
        paid_on=paid_on,
        lines=_lines(order.lines),
        **_school(school, order),
        **_money(order.amounts, financial_year(paid_on)),
    )


def invoice_raised(order: Order, invoice: Invoice, school: School) -> InvoiceRaisedV1:
    return InvoiceRaisedV1(
        invoice_id=invoice.id,
        invoice_number=invoice.number,
        order_id=order.id,
        purchase_order=invoice.purchase_order,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        lines=_lines(order.lines),
        **_school(school, order),
        **_money(invoice.amounts, financial_year(invoice.issued_on)),
    )


def invoice_settled(
    order: Order, school: School, *, amount_pence: int, settled_on: date, reference: str
) -> InvoiceSettledV1:
    invoice = order.invoice
    assert invoice is not None
    # which lines' money this is, net and VAT: not a line given back, whose income was credited
    parts = allocate(amount_pence, order.kept_lines)
    return InvoiceSettledV1(
        invoice_id=invoice.id,
        invoice_number=invoice.number,
        order_id=order.id,
        amount_pence=amount_pence,
        outstanding_pence=invoice.outstanding_pence,
        settled_on=settled_on,
        remittance_reference=reference,
        lines=_refunded_lines(parts),
        **_school(school, order),
        **_money(total([part.amounts for part in parts]), financial_year(settled_on)),
    )


def order_cancelled(order: Order, school: School, *, reason: str) -> OrderCancelledV1:
    assert order.cancelled_on is not None
    return OrderCancelledV1(
        order_id=order.id,
        cancelled_on=order.cancelled_on,
        reason=reason,
        lines=_lines(order.lines),
        **_school(school, order),
        **_money(order.amounts, financial_year(order.cancelled_on)),
    )


def refund_issued(
    order: Order,
    school: School,
    refunds: list[LineRefund],
    *,
    refund_id: UUID,
    on: date,
    reason: str,
) -> RefundIssuedV1:
    return RefundIssuedV1(
        refund_id=refund_id,
        order_id=order.id,
        payment_reference=order.payment_reference or "",
        refunded_on=on,
        reason=reason,
        lines=_refunded_lines(refunds, order),
        order_refunded_in_full=order.refunded_in_full,
        **_school(school, order),
        **_money(total([found.amounts for found in refunds]), financial_year(on)),
    )


def refund_made(
    held: Envelope[Event], *, on: date, transfer_reference: str | None = None
) -> Envelope[Event]:
    """The refund.issued event a card refund held back while it was asked, as it is sent once
    the money has gone back: dated the day it went, in that day's financial year (it may be
    days after the refund was asked); by bank transfer, with the bank's reference, if the card
    processor refused it and finance paid it so. Its id, which the outbox and every consumer's
    inbox know it by, and all else it said are kept."""
    made: dict[str, Any] = {"refunded_on": on, "financial_year": financial_year(on)}
    if transfer_reference is not None:
        made |= {"method": RefundMethod.BANK_TRANSFER, "transfer_reference": transfer_reference}
    event = RefundIssuedV1.model_validate({**held.payload.model_dump(), **made})
    return held.model_copy(update={"payload": event})


def credit_note_issued(
    order: Order,
    school: School,
    refunds: list[LineRefund],
    *,
    credit_note_id: UUID,
    number: str,
    on: date,
    reason: str,
) -> CreditNoteIssuedV1:
    invoice = order.invoice
    assert invoice is not None
    return CreditNoteIssuedV1(
        credit_note_id=credit_note_id,
        credit_note_number=number,
        invoice_id=invoice.id,
        invoice_number=invoice.number,
        order_id=order.id,
        issued_on=on,
        reason=reason,
        lines=_refunded_lines(refunds, order),
        outstanding_pence=invoice.outstanding_pence,
        **_school(school, order),
        **_money(total([found.amounts for found in refunds]), financial_year(on)),
    )


def order_fulfilled(order: Order, school: School) -> OrderFulfilledV1:
    assert order.fulfilled_on is not None
    return OrderFulfilledV1(
        order_id=order.id,
        fulfilled_on=order.fulfilled_on,
        lines=_lines(order.lines),
        **_school(school, order),
        **_money(order.amounts, financial_year(order.fulfilled_on)),
    )


def _line(
    line: OrderLine,
    amounts: Amounts,
    *,
    term: tuple[date | None, date | None] | None = None,
    withdrawn: bool = False,
) -> OrderLineV1:
    term_start, term_end = term or (line.term_start, line.term_end)
    return OrderLineV1(
        service_id=line.service_id,
        title=line.title,
        service_type=line.service_type,
        category=line.category,
        price_version=line.price_version,
        quantity=line.quantity,
        unit_price_pence=line.unit_price_pence,
        vat_rate=line.vat_rate,
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        gross_pence=amounts.gross,
        line_id=line.line_id,
        provider_id=line.provider_id,
        session_id=line.session_id,
        delivery_on=line.delivery_on,
        term_start=term_start,
        term_end=term_end,
        cfr_code=line.cfr_code,
        urn=line.school_urn,
        withdrawn=withdrawn,
    )


def _lines(lines: list[OrderLine]) -> tuple[OrderLineV1, ...]:
    return tuple(_line(line, line.amounts) for line in lines)


def _refunded_lines(
    refunds: list[LineRefund], order: Order | None = None
) -> tuple[OrderLineV1, ...]:
    """The lines a sum of money concerns (a refund, a credit, a remittance), with the part of
    that sum on each line, not the line's whole amount, and the part of its term (the months
    not used, for a subscription cancelled part way); each marked if the money goes back
    because the line was withdrawn (`order.withdrawn`)."""
    return tuple(
        _line(
            found.line,
            found.amounts,
            term=found.term,
            withdrawn=order is not None and order.withdrawn(found.line),
        )
        for found in refunds
    )


def _school(school: School, order: Order) -> dict[str, Any]:
    """The order's school; a trust's order names its first school here (each line names its
    own) and the trust, which is the customer, as it was when it placed the order (the school
    may have left it since)."""
    return {
        "urn": school.urn,
        "school_name": school.name,
        "phase": school.phase,
        "la_code": school.la_code,
        "trust_code": order.trust_code,
        "trust_name": order.trust_name,
    }


def _money(amounts: Amounts, year: str) -> dict[str, Any]:
    return {
        "strand": Strand.TRADED,
        "net_pence": amounts.net,
        "vat_pence": amounts.vat,
        "gross_pence": amounts.gross,
        "financial_year": year,
    }
