"""The company's invoices to the LA: each milestone's full amount, less the service credits
applied to it, gives what the LA pays."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from services.commissioning.adapters.invoice_pdf import render_la_invoice
from services.commissioning.application import views
from services.commissioning.entrypoints.deps import Reader, UnitOfWorkDep
from services.commissioning.entrypoints.schemas import LaInvoicePublic

router = APIRouter(prefix="/invoices", tags=["LA invoices"])


def _public(found: views.Invoiced) -> LaInvoicePublic:
    return LaInvoicePublic.of(found.invoice, found.credits, found.contract.vat_rate)


@router.get("")
async def list_invoices(
    uow: UnitOfWorkDep, _: Reader, contract_id: UUID | None = None
) -> list[LaInvoicePublic]:
    """Invoices to the LA, by number."""
    return [_public(found) for found in await views.invoices(uow, contract_id)]


@router.get("/{invoice_id}")
async def get_invoice(invoice_id: UUID, uow: UnitOfWorkDep, _: Reader) -> LaInvoicePublic:
    """One invoice: the milestone, less the service credits applied to it."""
    return _public(await views.invoice(uow, invoice_id))


@router.get("/{invoice_id}/pdf", response_class=Response)
async def invoice_pdf(
    invoice_id: UUID, request: Request, uow: UnitOfWorkDep, _: Reader
) -> Response:
    """The invoice as a VAT invoice in PDF, to file or send to the LA's accounts payable."""
    settings = request.app.state.settings
    found = await views.invoice(uow, invoice_id)
    invoice = found.invoice
    pdf = render_la_invoice(
        invoice,
        contract=found.contract,
        credits=found.credits,
        supplier=settings.supplier,
        customer_name=settings.la_name,
        customer_address=settings.la_invoice_address,
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )
