"""A VAT invoice as HMRC asks for one (VAT Notice 700, section 16): the supplier's name, address
and VAT registration number; the customer's name and address; a unique number; the invoice date
and the time of supply (tax point); each line's description, quantity, net amount, VAT rate and
VAT; the totals; and how and when to pay. Schools' invoices and the LA's are drawn alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from shared.calendar import long_date
from shared.money import VatRate, format_pounds
from shared.supplier import Supplier

if TYPE_CHECKING:  # fpdf and matplotlib take seconds to load: a worker's restart never needs them
    from fpdf import FPDF


def fonts() -> Path:
    """DejaVu Sans, as matplotlib ships it: a TrueType font with the pound sign, embedded in the
    PDF (the PDF core fonts have no £)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    quantity: int
    net_pence: int
    vat_rate: VatRate
    vat_pence: int
    note: str = ""  # printed small under the line: the school it is for, its CFR code


@dataclass(frozen=True)
class VatInvoice:
    number: str
    supplier: Supplier
    customer_name: str
    customer_address: str
    issued_on: date
    tax_point: date
    due_on: date
    references: tuple[tuple[str, str], ...]  # (what, value): purchase order, contract, …
    lines: tuple[InvoiceLine, ...]
    settlement: tuple[tuple[str, int], ...] = ()  # after the total: credited, paid, outstanding
    settled: str = ""  # once nothing is left to pay, said in place of how to pay

    @property
    def net_pence(self) -> int:
        return sum(line.net_pence for line in self.lines)

    @property
    def vat_pence(self) -> int:
        return sum(line.vat_pence for line in self.lines)

    def by_rate(self) -> list[tuple[VatRate, int, int]]:
        """(rate, net, VAT) for each rate the lines carry: the VAT analysis."""
        return [
            (
                rate,
                sum(line.net_pence for line in self.lines if line.vat_rate is rate),
                sum(line.vat_pence for line in self.lines if line.vat_rate is rate),
            )
            for rate in VatRate
            if any(line.vat_rate is rate for line in self.lines)
        ]


def rate_label(rate: VatRate) -> str:
    return "exempt" if rate is VatRate.EXEMPT else f"{rate.percent}%"


def render_pdf(invoice: VatInvoice) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", fonts() / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", fonts() / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"VAT invoice {invoice.number}")
    pdf.add_page()
    supplier = invoice.supplier
    if supplier.placeholders:
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_text_color(180, 0, 0)
        pdf.multi_cell(
            0,
            5,
            "DEMO INVOICE: details marked (demo placeholder) come from the demo settings. "
            "Do not pay.",
            border=1,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, f"VAT invoice {invoice.number}", new_x="LMARGIN", new_y="NEXT")
    _block(pdf, "From", (supplier.legal_name, *_lines(supplier.address)))
    _text(pdf, f"VAT registration number: {supplier.vat_number}")
    pdf.ln(2)
    _block(pdf, "To", (invoice.customer_name, *_lines(invoice.customer_address)))
    pdf.ln(2)
    for label, value in (
        ("Invoice date", long_date(invoice.issued_on)),
        ("Tax point", long_date(invoice.tax_point)),
        ("Due", long_date(invoice.due_on)),
        *invoice.references,
    ):
        _text(pdf, f"{label}: {value}")
    pdf.ln(3)
    _line_table(pdf, invoice)
    _totals(pdf, invoice)
    pdf.ln(4)
    if invoice.settled:
        pdf.set_font("DejaVu", size=9)
        pdf.multi_cell(0, 5, invoice.settled, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
    pdf.set_font("DejaVu", "B", 10)
    _text(pdf, "How to pay")
    pdf.set_font("DejaVu", size=9)
    for text in (
        # the invoice's own terms: the setting may have changed since it was raised
        f"Payment terms: {(invoice.due_on - invoice.issued_on).days} days from the invoice "
        f"date, by "
        f"{long_date(invoice.due_on)}.",
        f"By BACS to {supplier.bank_account_name}, sort code {supplier.bank_sort_code}, "
        f"account {supplier.bank_account_number}, quoting {invoice.number}.",
    ):
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


WIDTHS = (78, 12, 28, 16, 26, 30)
HEADINGS = ("Description", "Qty", "Net", "VAT rate", "VAT", "Total")
ROW = 7  # a line's first row; the figures sit on it
WRAPPED_ROW = 5  # each further row of a description that wraps
NOTE_ROW = 4


def _line_table(pdf: FPDF, invoice: VatInvoice) -> None:
    _headings(pdf)
    for line in invoice.lines:
        pdf.set_font("DejaVu", size=9)
        rows = _rows(pdf, WIDTHS[0], line.description)
        height = ROW + WRAPPED_ROW * (len(rows) - 1)
        pdf.set_font("DejaVu", size=7)
        note_rows = _rows(pdf, sum(WIDTHS), line.note) if line.note else []
        note_height = NOTE_ROW * len(note_rows) + (1 if note_rows else 0)
        # a line and its note stay on one page, under the column headings
        if pdf.get_y() + height + note_height > pdf.page_break_trigger:
            pdf.add_page()
            _headings(pdf)
        _line(pdf, line, rows, height)
        if note_rows:
            pdf.set_font("DejaVu", size=7)
            top = pdf.get_y()
            for row in note_rows:
                pdf.cell(sum(WIDTHS), NOTE_ROW, row, new_x="LMARGIN", new_y="NEXT")
            pdf.rect(pdf.l_margin, top, sum(WIDTHS), note_height)
            pdf.set_y(top + note_height)


def _headings(pdf: FPDF) -> None:
    pdf.set_font("DejaVu", "B", 9)
    for width, heading in zip(WIDTHS, HEADINGS, strict=True):
        pdf.cell(width, ROW, heading, border=1, align="L" if heading == "Description" else "R")
    pdf.ln()


def _line(pdf: FPDF, line: InvoiceLine, rows: list[str], height: float) -> None:
    pdf.set_font("DejaVu", size=9)
    top, left = pdf.get_y(), pdf.l_margin
    figures = (
        str(line.quantity),
        format_pounds(line.net_pence),
        rate_label(line.vat_rate),
        format_pounds(line.vat_pence),
        format_pounds(line.net_pence + line.vat_pence),
    )
    # the whole description is written before the figures, so its text reads as one phrase
    pdf.cell(WIDTHS[0], ROW, rows[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + (ROW - WRAPPED_ROW) / 2 + WRAPPED_ROW)
    for row in rows[1:]:
        pdf.cell(WIDTHS[0], WRAPPED_ROW, row, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(left + WIDTHS[0], top)
    for width, figure in zip(WIDTHS[1:], figures, strict=True):
        pdf.cell(width, ROW, figure, align="R")
    x = left
    for width in WIDTHS:
        pdf.rect(x, top, width, height)
        x += width
    pdf.set_xy(left, top + height)


def _rows(pdf: FPDF, width: float, text: str) -> list[str]:
    """The rows `text` wraps over in a cell `width` wide in the current font: never cut."""
    rows = cast(list[str], pdf.multi_cell(width, WRAPPED_ROW, text, dry_run=True, output="LINES"))
    return rows or [""]


def _totals(pdf: FPDF, invoice: VatInvoice) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", size=9)
    for rate, net, vat in invoice.by_rate():
        _amount(pdf, f"Net at {rate_label(rate)}", net)
        _amount(pdf, f"VAT at {rate_label(rate)}", vat)
    pdf.set_font("DejaVu", "B", 10)
    _amount(pdf, "Total before VAT", invoice.net_pence)
    _amount(pdf, "Total VAT", invoice.vat_pence)
    _amount(pdf, "Total to pay", invoice.net_pence + invoice.vat_pence)
    pdf.set_font("DejaVu", size=9)
    for label, pence in invoice.settlement:
        _amount(pdf, label, pence)


def _amount(pdf: FPDF, label: str, pence: int) -> None:
    pdf.cell(150, 6, label, align="R")
    pdf.cell(40, 6, format_pounds(pence), align="R", new_x="LMARGIN", new_y="NEXT")


def _block(pdf: FPDF, heading: str, lines: tuple[str, ...]) -> None:
    pdf.set_font("DejaVu", "B", 10)
    _text(pdf, heading)
    pdf.set_font("DejaVu", size=10)
    for line in lines:
        _text(pdf, line)


def _text(pdf: FPDF, text: str) -> None:
    pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def _lines(address: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in address.split(",") if part.strip())
