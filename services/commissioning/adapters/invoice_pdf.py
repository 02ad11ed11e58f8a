"""An invoice to the LA as a PDF: a full VAT invoice for a signed-off milestone, less the
service credits applied to it."""

from __future__ import annotations

from services.commissioning.domain.contract import Contract
from services.commissioning.domain.kpi import ServiceCredit, credited_amounts
from services.commissioning.domain.milestone import LaInvoice
from shared.supplier import Supplier
from shared.vat_invoice import InvoiceLine, VatInvoice, render_pdf


def render_la_invoice(
    invoice: LaInvoice,
    *,
    contract: Contract,
    credits: list[ServiceCredit],
    supplier: Supplier,
    customer_name: str,
    customer_address: str,
) -> bytes:
    milestone = next(m for m in contract.milestones if m.id == invoice.milestone_id)
    rate = contract.vat_rate
    credited = credited_amounts(credits, rate)
    document = VatInvoice(
        number=invoice.number,
        supplier=supplier,
        customer_name=customer_name,
        customer_address=customer_address,
        issued_on=invoice.issued_on,
        tax_point=milestone.completed_on or invoice.issued_on,  # the milestone's sign-off
        due_on=invoice.due_on,
        references=(
            ("Contract", f"{contract.reference}: {contract.title}"),
            ("Milestone", milestone.title),
        ),
        lines=(
            InvoiceLine(
                f"Milestone: {milestone.title}",
                1,
                invoice.amounts.net,
                rate,
                invoice.amounts.vat,
            ),
            *(
                InvoiceLine(
                    f"Less service credit: {credit.reason}",
                    1,
                    -credited[credit.id].net,
                    rate,
                    -credited[credit.id].vat,
                )
                for credit in credits
            ),
        ),
    )
    return render_pdf(document)
