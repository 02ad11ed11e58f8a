"""The company's invoices to the LA, one per signed-off milestone, each with its PDF: for the
LA's officer and for finance."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.entrypoints.rendering import download, render
from services.portal.entrypoints.roles import LaInvoiceReader

router = APIRouter(prefix="/la-invoices")


@router.get("")
async def la_invoices(request: Request, you: LaInvoiceReader) -> Response:
    invoices = await you.apis.commissioning.invoices()
    contracts = {c.id: c for c in await you.apis.commissioning.contracts()}
    milestones = {m.id: m for c in contracts.values() for m in c.milestones}
    return render(
        request,
        "la_invoices.html",
        invoices=sorted(invoices, key=lambda i: i.number, reverse=True),
        contracts=contracts,
        milestones=milestones,
    )


@router.get("/{invoice_id:uuid}.pdf")
async def la_invoice_pdf(invoice_id: UUID, you: LaInvoiceReader) -> Response:
    """The commissioning API's VAT invoice, passed on as a download."""
    return download(await you.apis.commissioning.invoice_pdf(invoice_id))
