"""The company's invoices to the LA, one per signed-off milestone, each with its PDF, what the
LA has paid of it and what is left (from the ledger): for the LA's officer and for finance.
Finance records the LA's payments as it records a school's remittances, and sees each payment
recorded against the invoice."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import submit
from services.portal.entrypoints.remittances import REMITTANCE_WORDING, read_remittance
from services.portal.entrypoints.rendering import (
    download,
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Finance, LaInvoiceReader
from services.portal.entrypoints.session import SignedIn
from shared.auth import Role
from shared.money import format_pounds

router = APIRouter(prefix="/la-invoices")
RECORD_PAYMENTS = (Role.FINANCE, Role.ADMIN)  # the LA's officers read what is paid and left


@router.get("")
async def la_invoices(request: Request, you: LaInvoiceReader) -> Response:
    invoices = await you.apis.commissioning.invoices()
    contracts = {c.id: c for c in await you.apis.commissioning.contracts()}
    milestones = {m.id: m for c in contracts.values() for m in c.milestones}
    owed = {found.number: found for found in await you.apis.ledger.la_invoices()}
    return render(
        request,
        "la_invoices.html",
        invoices=sorted(invoices, key=lambda i: i.number, reverse=True),
        contracts=contracts,
        milestones=milestones,
        owed=owed,
        records_payments=you.user.role in RECORD_PAYMENTS,
    )


@router.get("/{invoice_id:uuid}.pdf")
async def la_invoice_pdf(invoice_id: UUID, you: LaInvoiceReader) -> Response:
    """The commissioning API's VAT invoice, passed on as a download."""
    return download(await you.apis.commissioning.invoice_pdf(invoice_id))


@router.get("/{invoice_id:uuid}")
async def la_invoice_page(request: Request, invoice_id: UUID, you: Finance) -> Response:
    return await _payment_form(request, you, invoice_id, {}, FormErrors())


@router.post("/{invoice_id:uuid}")
async def record_la_payment(request: Request, invoice_id: UUID, you: Finance) -> Response:
    """Part payments are allowed; the ledger API refuses more than is left to pay."""
    form = await form_of(request)
    errors = FormErrors()
    fields = read_remittance(form, errors)
    invoice = await you.apis.commissioning.invoice(invoice_id)
    owed = await submit(
        errors,
        lambda: you.apis.ledger.record_la_payment(invoice.number, fields),
        REMITTANCE_WORDING,
    )
    if owed is not None:
        tell_next_page(
            request,
            f"Payment by the LA recorded against invoice {invoice.number}",
            f"{format_pounds(owed.outstanding_pence)} is still to pay.",
        )
        return see_other(f"/la-invoices/{invoice_id}")
    return await _payment_form(request, you, invoice_id, form, errors)


async def _payment_form(
    request: Request, you: SignedIn, invoice_id: UUID, form: dict[str, str], errors: FormErrors
) -> Response:
    invoice = await you.apis.commissioning.invoice(invoice_id)
    owed = {found.number: found for found in await you.apis.ledger.la_invoices()}
    in_the_books = owed.get(invoice.number)
    return form_page(
        request,
        "la_invoice.html",
        form=form,
        errors=errors,
        invoice=invoice,
        owed=in_the_books,
        payments=await you.apis.ledger.la_payments(invoice.number) if in_the_books else [],
    )
