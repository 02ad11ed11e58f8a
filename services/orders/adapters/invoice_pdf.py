"""An invoice as a PDF a school's business manager can file: lines, VAT breakdown, due date."""

from __future__ import annotations

from fpdf import FPDF

from services.orders.domain.invoice import vat_breakdown
from services.orders.domain.order import Order
from services.orders.domain.school import School
from shared.money import format_pounds

SELLER = "Schools Company"


def _money(pence: int) -> str:
    return format_pounds(pence).replace("£", "GBP ")  # the core fonts have no pound sign


def render_invoice(order: Order, school: School) -> bytes:
    invoice = order.invoice
    if invoice is None:
        raise ValueError("the order has no invoice")
    pdf = FPDF()
    pdf.set_title(f"Invoice {invoice.number}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, f"{SELLER}: invoice {invoice.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for text in (
        f"To: {school.name} (URN {school.urn}), {school.town} {school.postcode}".strip(),
        f"Your purchase order: {invoice.purchase_order}",
        f"Issued: {invoice.issued_on:%d %B %Y}    Due: {invoice.due_on:%d %B %Y}",
        f"Order: {order.id}",
    ):
        pdf.cell(0, 6, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (80, 15, 30, 20, 25, 25)
    pdf.set_font("Helvetica", "B", 9)
    for width, heading in zip(
        widths, ("Service", "Qty", "Unit", "VAT", "Net", "VAT amount"), strict=True
    ):
        pdf.cell(width, 7, heading, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for line in order.lines:
        amounts = line.amounts
        cells = (
            line.title[:45],
            str(line.quantity),
            _money(line.unit_price_pence),
            f"{line.vat_rate.percent}%",
            _money(amounts.net),
            _money(amounts.vat),
        )
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 7, _latin(text), border=1)
        pdf.ln()
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    totals = invoice.amounts
    for label, pence in (
        ("Net", totals.net),
        ("VAT", totals.vat),
        ("Total", totals.gross),
        ("Credited", invoice.credited_pence),
        ("Paid", invoice.paid_pence),
        ("Outstanding", invoice.outstanding_pence),
    ):
        pdf.cell(150, 6, label, align="R")
        pdf.cell(45, 6, _money(pence), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.ln(2)
    for band in vat_breakdown(order.lines):
        pdf.cell(
            0,
            5,
            f"VAT at {band.rate.value} ({band.rate.percent}%): net {_money(band.net_pence)},"
            f" VAT {_money(band.vat_pence)}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)
    pdf.multi_cell(
        0, 5, f"Please pay by BACS quoting {invoice.number} by {invoice.due_on:%d %B %Y}."
    )
    return bytes(pdf.output())


def _latin(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")
