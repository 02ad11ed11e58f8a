"""An invoice line reads whole on the PDF, however long, and says what it is for: a
subscription's term, a course's session day, a trust's school."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from uuid import uuid4

from pypdf import PdfReader

from services.orders.adapters.invoice_pdf import render_invoice
from services.orders.domain.lines import OrderLine, ServiceType
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.school import School
from shared.clock import start_of
from shared.money import VatRate
from shared.vat_invoice import InvoiceLine, render_pdf
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED
from tests.unit.test_vat_invoice import SUPPLIER, invoice

TODAY = date(2026, 12, 2)
SCHOOL = School(**ABBOTS_LANGLEY_AS_REGISTERED, pupils=420)
TRUST_SCHOOL = replace(
    SCHOOL,
    urn=136609,
    name="Sandringham School",
    trust_code="4209",
    trust_name="Alban Learning Trust",
)

LONG_DESCRIPTION = (
    "Designated safeguarding lead training for new and experienced leads in primary and "
    "secondary schools across the county (2 × £215.00) and its resources"
)


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text with its runs of spaces and line breaks as single spaces: a wrapped
    description reads as one phrase."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


def test_a_long_description_is_printed_whole_with_its_amounts_on_its_row() -> None:
    assert len(LONG_DESCRIPTION) == 150
    line = InvoiceLine(LONG_DESCRIPTION, 2, 43_000, VatRate.EXEMPT, 0)
    text = text_of(render_pdf(replace(invoice(), lines=(line,))))
    assert LONG_DESCRIPTION in text
    assert "2 £430.00 exempt £0.00 £430.00" in text
    assert "Total to pay £430.00" in text


def test_a_long_note_under_a_line_is_printed_whole() -> None:
    note = "For Sandringham School (URN 136609) · " + "CFR E19: learning resources " * 6
    line = InvoiceLine("Data and assessment SLA", 1, 180_000, VatRate.STANDARD, 36_000, note)
    text = text_of(render_pdf(replace(invoice(), lines=(line,))))
    assert " ".join(note.split()) in text
    assert "£1,800.00 20% £360.00 £2,160.00" in text


def test_wrapped_lines_over_several_pages_each_stay_whole_on_one_page() -> None:
    lines = tuple(
        InvoiceLine(f"{number:02} {LONG_DESCRIPTION[3:]}", 1, 10_000, VatRate.STANDARD, 2_000)
        for number in range(40)
    )
    pages = pages_of(render_pdf(replace(invoice(), lines=lines)))
    assert len(pages) > 2
    for line in lines:
        assert sum(line.description in page for page in pages) == 1, line.description
    assert all(page.count("£100.00 20% £20.00 £120.00") >= 1 for page in pages[:-1])
    assert all("Description Qty" in page and "VAT rate" in page for page in pages[:-1])
    text = " ".join(pages)
    assert text.index("Total to pay £4,800.00") > text.index(lines[-1].description)


def test_a_wrapped_line_s_figures_sit_on_its_first_row() -> None:
    line = InvoiceLine(LONG_DESCRIPTION, 2, 43_000, VatRate.EXEMPT, 0)
    page = PdfReader(io.BytesIO(render_pdf(replace(invoice(), lines=(line,))))).pages[0]
    heights: dict[str, list[float]] = {}

    def note_height(text: str, _cm: object, matrix: list[float], *_: object) -> None:
        if text.strip():
            heights.setdefault(text.strip(), []).append(round(matrix[5], 1))

    page.extract_text(visitor_text=note_height)
    figures = ("2", "£430.00", "exempt", "£0.00")
    rows = [text for text in heights if text in LONG_DESCRIPTION and text not in figures]
    assert len(rows) > 1 and " ".join(rows) == LONG_DESCRIPTION
    first_row = heights[rows[0]][0]
    assert all(heights[row][0] < first_row for row in rows[1:])
    for figure in figures:
        assert heights[figure][0] == first_row, figure


def order_line(**overrides: object) -> OrderLine:
    values: dict[str, object] = {
        "service_id": uuid4(),
        "title": "Data and assessment SLA",
        "service_type": ServiceType.SUBSCRIPTION,
        "category": "Assessment",
        "price_version": 1,
        "quantity": 1,
        "unit_price_pence": 180_000,
        "vat_rate": VatRate.STANDARD,
        **overrides,
    }
    return OrderLine(**values)  # type: ignore[arg-type]


def invoiced(lines: list[OrderLine], *, trust_code: str | None = None) -> Order:
    order = Order.place(
        school=SCHOOL,
        lines=lines,
        payment_method=PaymentMethod.INVOICE,
        purchase_order="PO-1",
        now=start_of(TODAY),
        trust_code=trust_code,
    )
    order.raise_invoice(number="INV-000007", today=TODAY, payment_days=30)
    return order


SUBSCRIPTION = order_line(term_start=date(2026, 9, 1), term_end=date(2027, 8, 31))
COURSE = order_line(
    title="Designated safeguarding lead training",
    service_type=ServiceType.COURSE,
    category="Safeguarding",
    quantity=2,
    unit_price_pence=21_500,
    vat_rate=VatRate.EXEMPT,
    delivery_on=date(2027, 1, 11),
)


def test_a_subscription_line_names_its_term_and_a_course_line_its_session_day() -> None:
    order = invoiced([SUBSCRIPTION, COURSE])
    text = text_of(render_invoice(order, {SCHOOL.urn: SCHOOL}, SUPPLIER))
    assert "Data and assessment SLA for 1 September 2026 to 31 August 2027" in text
    assert "Designated safeguarding lead training, session on 11 January 2027 (2 × £215.00)" in text
    assert "1 £1,800.00 20% £360.00 £2,160.00" in text
    assert "2 £430.00 exempt £0.00 £430.00" in text


def test_a_line_that_knows_neither_term_nor_day_reads_as_its_title() -> None:
    consultancy = order_line(title="Governance review", service_type=ServiceType.CONSULTANCY)
    text = text_of(render_invoice(invoiced([consultancy]), {SCHOOL.urn: SCHOOL}, SUPPLIER))
    assert "Governance review 1 £1,800.00" in text
    assert " for " not in text.split("Governance review")[1].split("£")[0]
    assert "session on" not in text


def test_a_trust_s_line_names_its_term_and_the_school_it_is_for() -> None:
    line = replace(SUBSCRIPTION, school_urn=TRUST_SCHOOL.urn)
    order = invoiced([line], trust_code="4209")
    schools = {SCHOOL.urn: SCHOOL, TRUST_SCHOOL.urn: TRUST_SCHOOL}
    text = text_of(render_invoice(order, schools, SUPPLIER))
    assert "Data and assessment SLA for 1 September 2026 to 31 August 2027" in text
    assert "For Sandringham School (URN 136609)" in text
