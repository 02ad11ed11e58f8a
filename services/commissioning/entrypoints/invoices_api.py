"""The company's invoices to the LA: each milestone's full amount, less the service credits
applied to it, gives what the LA pays."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from services.commissioning.adapters.invoice_pdf import render_la_invoice
from services.commissioning.application import views
from services.commissioning.domain.kpi import ServiceCredit
from services.commissioning.domain.milestone import LaInvoice
from services.commissioning.entrypoints.deps import Reader, UnitOfWorkDep
from shared.api import commissioning as contract
from shared.api.commissioning import CreditPublic
from shared.money import Amounts, VatRate, vat_on

router = APIRouter(prefix="/invoices", tags=["LA invoices"])


class LaInvoicePublic(contract.LaInvoicePublic):
    @classmethod
    def of(
        cls, invoice: LaInvoice, credits: list[ServiceCredit], vat_rate: VatRate
    ) -> LaInvoicePublic:
        credited = {c.id: Amounts(c.net_pence, vat_on(c.net_pence, vat_rate)) for c in credits}
        payable = invoice.payable_after(list(credited.values()))
        return cls(
            id=invoice.id,
            number=invoice.number,
            contract_id=invoice.contract_id,
            milestone_id=invoice.milestone_id,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
            net_pence=invoice.amounts.net,
            vat_pence=invoice.amounts.vat,
            gross_pence=invoice.amounts.gross,
            credits=[
                CreditPublic(
                    id=c.id,
                    kpi_id=c.kpi_id,
                    reason=c.reason,
                    net_pence=credited[c.id].net,
                    vat_pence=credited[c.id].vat,
                    gross_pence=credited[c.id].gross,
                )
                for c in credits
            ],
            payable_net_pence=payable.net,
            payable_vat_pence=payable.vat,
            payable_gross_pence=payable.gross,
        )


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
