"""An invoice as a PDF its reader can file and pay: a full VAT invoice. A school's is addressed
to the school; a trust's to the trust, each line naming the school of the trust it is for."""

from __future__ import annotations

from services.orders.domain.invoice import Invoice
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order
from services.orders.domain.parts import school_of
from services.orders.domain.school import School
from shared.calendar import long_date
from shared.cfr import cfr_title
from shared.money import format_pounds
from shared.supplier import Supplier
from shared.vat_invoice import InvoiceLine, VatInvoice, render_pdf


def render_invoice(order: Order, schools: dict[int, School], supplier: Supplier) -> bytes:
    """`schools` holds the order's school and, for a trust's order, each line's school."""
    invoice = order.invoice
    if invoice is None:
        raise ValueError("the order has no invoice")
    school = schools[order.urn]
    if order.trust_code:
        customer = f"{order.trust_name or 'Academy trust'} (trust {order.trust_code})"
        address = ""
        lines = sorted(order.lines, key=lambda line: schools[school_of(order, line)].name)
    else:
        customer = f"{school.name} (URN {school.urn})"
        address = ", ".join(part for part in (school.town, school.postcode) if part)
        lines = order.lines
    document = VatInvoice(
        number=invoice.number,
        supplier=supplier,
        customer_name=customer,
        customer_address=address,
        issued_on=invoice.issued_on,
        tax_point=invoice.issued_on,  # invoiced before the service is supplied
        due_on=invoice.due_on,
        references=(("Your purchase order", invoice.purchase_order), ("Order", str(order.id))),
        lines=tuple(
            InvoiceLine(
                description=_description(line),
                quantity=line.quantity,
                net_pence=line.amounts.net,
                vat_rate=line.vat_rate,
                vat_pence=line.amounts.vat,
                note=_note(line, schools[school_of(order, line)] if order.trust_code else None),
            )
            for line in lines
        ),
        settlement=_settlement(invoice),
        settled=_settled(invoice),
    )
    return render_pdf(document)


def _settlement(invoice: Invoice) -> tuple[tuple[str, int], ...]:
    """What was credited and paid, what is left to pay, and what is owed back: paid, then
    credited (an order cancelled after a payment) past what the invoice asks for."""
    owed_back = invoice.owed_to_school_pence
    return (
        ("Credited", invoice.credited_pence),
        ("Paid", invoice.paid_pence),
        ("Outstanding", invoice.outstanding_pence),
        *((("Owed back to you", owed_back),) if owed_back else ()),
    )


def _settled(invoice: Invoice) -> str:
    """Said in place of how to pay, once nothing is left to pay."""
    if invoice.outstanding_pence:
        return ""
    owed_back = invoice.owed_to_school_pence
    if not owed_back:
        return "Nothing is left to pay."
    return (
        f"Nothing is left to pay: the {format_pounds(owed_back)} paid beyond what this invoice "
        "now asks for is owed back to you, and our finance team pays it back."
    )


def _description(line: OrderLine) -> str:
    """The service and what it is for, as the basket showed it: a subscription's term, a
    course's session day; then the quantity at its unit price."""
    text = line.title
    if line.term_start and line.term_end:
        text += f" for {long_date(line.term_start)} to {long_date(line.term_end)}"
    if line.delivery_on:
        text += f", session on {long_date(line.delivery_on)}"
    if line.quantity != 1:
        text += f" ({line.quantity} × {format_pounds(line.unit_price_pence)})"
    return text


def _note(line: OrderLine, school: School | None) -> str:
    parts = [f"For {school.name} (URN {school.urn})"] if school else []
    if line.cfr_code:
        parts.append(f"CFR {line.cfr_code}: {cfr_title(line.cfr_code)}")
    return " · ".join(parts)
