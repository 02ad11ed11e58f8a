"""The company's invoices to the LA: each milestone's full amount, less the service credits
applied to it, gives what the LA pays."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from services.commissioning.adapters.invoice_pdf import render_la_invoice
from services.commissioning.domain.kpi import ServiceCredit
from services.commissioning.domain.milestone import LaInvoice
from services.commissioning.entrypoints.roles import Reader, UnitOfWorkDep
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


async def _public(uow: UnitOfWorkDep, invoice: LaInvoice) -> LaInvoicePublic:
    contract = await uow.contracts.get(invoice.contract_id)
    credits = await uow.kpis.credits(invoice_id=invoice.id)
    return LaInvoicePublic.of(invoice, credits, contract.vat_rate)


@router.get("")
async def list_invoices(
    uow: UnitOfWorkDep, _: Reader, contract_id: UUID | None = None
) -> list[LaInvoicePublic]:
    """Invoices to the LA, by number."""
    async with uow:
        return [await _public(uow, invoice) for invoice in await uow.invoices.list(contract_id)]


@router.get("/{invoice_id}")
async def get_invoice(invoice_id: UUID, uow: UnitOfWorkDep, _: Reader) -> LaInvoicePublic:
    """One invoice: the milestone, less the service credits applied to it."""
    async with uow:
        return await _public(uow, await uow.invoices.get(invoice_id))


@router.get("/{invoice_id}/pdf", response_class=Response)
async def invoice_pdf(
    invoice_id: UUID, request: Request, uow: UnitOfWorkDep, _: Reader
) -> Response:
    """The invoice as a VAT invoice in PDF, to file or send to the LA's accounts payable."""
    settings = request.app.state.settings
    async with uow:
        invoice = await uow.invoices.get(invoice_id)
        contract = await uow.contracts.get(invoice.contract_id)
        credits = await uow.kpis.credits(invoice_id=invoice.id)
    pdf = render_la_invoice(
        invoice,
        contract=contract,
        credits=credits,
        supplier=settings.supplier,
        customer_name=settings.la_name,
        customer_address=settings.la_invoice_address,
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )
