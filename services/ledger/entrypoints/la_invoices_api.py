"""The company's invoices to the LA as the book holds them (for finance, and for the LA's
officers, who read what the LA has paid and what is left), and the LA's payments of them
recorded by finance (finance and admin only)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, status

from services.ledger.application import views
from services.ledger.application.la_payments import RecordLaPayment
from services.ledger.domain.la_payments import LaPayment
from services.ledger.entrypoints.deps import BusDep, Finance, LaInvoiceReader, UnitOfWorkDep
from shared.api.ledger import LaInvoiceOwedPublic, LaPaymentPublic
from shared.api.remittances import RemittanceCreate

router = APIRouter(prefix="/la-invoices", tags=["ledger"])
InvoiceNumber = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9-]{1,20}$", description="the invoice's number, LA-…")
]


@router.get("")
async def la_invoices(uow: UnitOfWorkDep, _: LaInvoiceReader) -> list[LaInvoiceOwedPublic]:
    """Every invoice to the LA, by number: invoiced, credited, paid and left to pay (finance and
    the LA's officers)."""
    found = await views.la_invoices_owed(uow)
    return [LaInvoiceOwedPublic.model_validate(asdict(owed)) for owed in found]


@router.get("/{invoice_number}/payments")
async def la_payments(
    invoice_number: InvoiceNumber, uow: UnitOfWorkDep, _: Finance
) -> list[LaPaymentPublic]:
    """The LA's payments of the invoice, the latest received first, with who recorded each;
    one finance reversed is listed too, with its reversal, but not counted as paid."""
    found = await views.la_payments(uow, invoice_number)
    return [LaPaymentPublic.model_validate(asdict(payment)) for payment in found]


@router.post("/{invoice_number}/payments", status_code=status.HTTP_201_CREATED)
async def record_la_payment(
    invoice_number: InvoiceNumber, body: RemittanceCreate, bus: BusDep, _: Finance
) -> LaInvoiceOwedPublic:
    """Finance records money the LA paid by BACS against an invoice; part payments allowed."""
    payment = LaPayment(invoice_number=invoice_number, **body.model_dump())
    owed = await bus.handle(RecordLaPayment(payment))
    return LaInvoiceOwedPublic.model_validate(asdict(owed))
