"""A VAT invoice carries every particular HMRC asks for, in pounds with the £ sign."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from shared.money import VatRate
from shared.supplier import Supplier
from shared.vat_invoice import InvoiceLine, VatInvoice, render_pdf

SUPPLIER = Supplier(
    legal_name="Schools Company Ltd",
    address="1 Example Road, Hertford SG13 0ZZ",
    vat_number="GB 123 4567 89",
    bank_account_name="Schools Company Ltd",
    bank_sort_code="12-34-56",
    bank_account_number="12345678",
    placeholders=False,
)


def invoice(supplier: Supplier = SUPPLIER) -> VatInvoice:
    return VatInvoice(
        number="INV-000042",
        supplier=supplier,
        customer_name="Abbots Langley School (URN 117083)",
        customer_address="Abbots Langley, WD5 0AS",
        issued_on=date(2026, 12, 3),
        tax_point=date(2026, 12, 3),
        due_on=date(2027, 1, 2),
        references=(("Your purchase order", "PO-1234"),),
        lines=(
            InvoiceLine("Data and assessment SLA", 1, 180_000, VatRate.STANDARD, 36_000),
            InvoiceLine("New SENCo training", 2, 79_000, VatRate.EXEMPT, 0),
        ),
    )


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_invoice_names_both_parties_its_dates_lines_vat_totals_and_how_to_pay() -> None:
    pdf = render_pdf(invoice())
    text = text_of(pdf)
    for particular in (
        "VAT invoice INV-000042",
        "Schools Company Ltd",
        "1 Example Road",
        "VAT registration number: GB 123 4567 89",
        "Abbots Langley School (URN 117083)",
        "WD5 0AS",
        "Invoice date: 3 December 2026",
        "Tax point: 3 December 2026",
        "Your purchase order: PO-1234",
        "Data and assessment SLA",
        "£1,800.00 20% £360.00 £2,160.00",
        "£790.00 exempt £0.00 £790.00",
        "Total before VAT £2,590.00",
        "Total VAT £360.00",
        "Total to pay £2,950.00",
        "Payment terms: 30 days",
        "sort code 12-34-56, account 12345678, quoting INV-000042",
    ):
        assert particular in text, particular
    assert "GBP" not in text and "DEMO" not in text
    assert b"/FontFile2" in pdf and b"DejaVuSans" in pdf  # the font travels with the file


def test_the_payment_terms_are_the_invoice_s_own_days_to_its_due_date() -> None:
    raised_on_shorter_terms = replace(invoice(), due_on=date(2026, 12, 17))
    text = text_of(render_pdf(raised_on_shorter_terms))
    assert "Payment terms: 14 days from the invoice date, by 17 December 2026" in text


def test_an_invoice_with_the_demo_placeholders_says_so_at_the_top() -> None:
    demo = SUPPLIER.__class__(**{**SUPPLIER.__dict__, "placeholders": True})
    text = text_of(render_pdf(invoice(demo)))
    assert text.index("DEMO INVOICE") < text.index("VAT invoice INV-000042")
    assert "Do not pay" in text
