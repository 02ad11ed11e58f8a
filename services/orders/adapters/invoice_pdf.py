"""A school's invoice as a PDF its business manager can file and pay: a full VAT invoice."""

from __future__ import annotations

from services.orders.domain.order import Order
from services.orders.domain.school import School
from shared.cfr import cfr_title
from shared.money import format_pounds
from shared.supplier import Supplier
from shared.vat_invoice import InvoiceLine, VatInvoice, render_pdf


def render_invoice(order: Order, school: School, supplier: Supplier) -> bytes:
    invoice = order.invoice
    if invoice is None:
        raise ValueError("the order has no invoice")
    document = VatInvoice(
        number=invoice.number,
        supplier=supplier,
        customer_name=f"{school.name} (URN {school.urn})",
        customer_address=", ".join(part for part in (school.town, school.postcode) if part),
        issued_on=invoice.issued_on,
        tax_point=invoice.issued_on,  # invoiced before the service is supplied
        due_on=invoice.due_on,
        references=(("Your purchase order", invoice.purchase_order), ("Order", str(order.id))),
        lines=tuple(
            InvoiceLine(
                description=line.title
                if line.quantity == 1
                else f"{line.title} ({line.quantity} × {format_pounds(line.unit_price_pence)})",
                quantity=line.quantity,
                net_pence=line.amounts.net,
                vat_rate=line.vat_rate,
                vat_pence=line.amounts.vat,
                note=cfr_note(line.cfr_code),
            )
            for line in order.lines
        ),
        settlement=(
            ("Credited", invoice.credited_pence),
            ("Paid", invoice.paid_pence),
            ("Outstanding", invoice.outstanding_pence),
        ),
    )
    return render_pdf(document)


def cfr_note(code: str | None) -> str:
    return f"CFR {code}: {cfr_title(code)}" if code else ""
