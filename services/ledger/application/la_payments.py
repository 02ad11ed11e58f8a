"""The LA's payments of the company's invoices to it, recorded by finance as a school's
remittance is (`shared.remittances`): received by the day it is recorded and not before the
invoice, never more than is left of it, and recorded once per invoice and bank reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.ledger.application.book_entries import post
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.la_payments import LaInvoiceOwed, LaPayment, la_paid
from shared.bus import Command
from shared.errors import Conflict, NotFound
from shared.remittances import (
    refuse_beyond_outstanding,
    refuse_received_after_today,
    refuse_received_before_invoice,
)
from shared.unique import taken_as


@dataclass(frozen=True)
class RecordLaPayment(Command["LaInvoiceOwed"]):
    payment: LaPayment


async def record_la_payment(
    command: RecordLaPayment, *, uow: LedgerUnitOfWork, today: date
) -> LaInvoiceOwed:
    """The invoice as it stands with the payment."""
    payment = command.payment
    refuse_received_after_today(payment.received_on, today=today)
    found = await uow.la_invoices.outstanding(payment.invoice_number)
    if found is None:
        raise NotFound(
            f"the book has no invoice {payment.invoice_number} to the LA", field="invoice_number"
        )
    outstanding, invoiced_on = found
    refuse_received_before_invoice(payment.received_on, invoiced_on=invoiced_on)
    entry = la_paid(payment)
    if await uow.book.transactions_for(key=entry.source.key):
        raise _already_recorded(payment)
    refuse_beyond_outstanding(payment.amount_pence, outstanding_pence=outstanding)
    await post(uow, [entry])
    async with taken_as(lambda: _already_recorded(payment)):  # by a request a moment ago
        posted = await uow.flush()
    if not posted:
        raise _already_recorded(payment)
    (owed,) = await uow.la_invoices.owed(payment.invoice_number)
    return owed


def _already_recorded(payment: LaPayment) -> Conflict:
    return Conflict(
        f"a payment {payment.reference!r} is already recorded against "
        f"invoice {payment.invoice_number}",
        field="reference",
    )
