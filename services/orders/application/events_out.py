"""The events orders publishes, built from its aggregates."""

from __future__ import annotations

from typing import Any

from services.orders.domain.order import Invoice, Order, OrderLine
from services.orders.domain.school import School
from shared.calendar import financial_year
from shared.events import InvoiceRaisedV1, OrderPlacedV1
from shared.events.orders import OrderLineV1
from shared.money import Amounts, Strand


def order_placed(order: Order, school: School) -> OrderPlacedV1:
    return OrderPlacedV1(
        order_id=order.id,
        payment_method=order.payment_method.value,
        placed_on=order.placed_on,
        lines=_lines(order.lines),
        **_school(school),
        **_money(order.amounts, financial_year(order.placed_on)),
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
        **_school(school),
        **_money(invoice.amounts, financial_year(invoice.issued_on)),
    )


def _lines(lines: list[OrderLine]) -> tuple[OrderLineV1, ...]:
    return tuple(
        OrderLineV1(
            service_id=line.service_id,
            title=line.title,
            service_type=line.service_type,
            category=line.category,
            price_version=line.price_version,
            quantity=line.quantity,
            unit_price_pence=line.unit_price_pence,
            vat_rate=line.vat_rate,
            net_pence=line.amounts.net,
            vat_pence=line.amounts.vat,
            gross_pence=line.amounts.gross,
        )
        for line in lines
    )


def _school(school: School) -> dict[str, Any]:
    return {
        "urn": school.urn,
        "school_name": school.name,
        "phase": school.phase,
        "la_code": school.la_code,
    }


def _money(amounts: Amounts, year: str) -> dict[str, Any]:
    return {
        "strand": Strand.TRADED,
        "net_pence": amounts.net,
        "vat_pence": amounts.vat,
        "gross_pence": amounts.gross,
        "financial_year": year,
    }
