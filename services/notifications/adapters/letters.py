"""A letter as a PDF (fpdf2, with the fonts the VAT invoices use)."""

from __future__ import annotations

from fpdf import FPDF

from services.notifications.domain.warning_notices import Letter
from shared.calendar import long_date
from shared.vat_invoice import fonts


def render_letter(letter: Letter) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", fonts() / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", fonts() / "DejaVuSans-Bold.ttf")
    pdf.set_title(letter.title)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    for line in letter.addressees:  # wrapped: a school's name may fill a line on its own
        pdf.multi_cell(0, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.cell(0, 5, f"{long_date(letter.dated)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 7, letter.title, new_x="LMARGIN", new_y="NEXT")
    for heading, text in letter.sections:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
