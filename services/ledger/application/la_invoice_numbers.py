"""Service credits under their LA invoice's number: the ledger remembers each invoice's number
from its invoice.raised event, so that a credit sent before credits named the number (an old
event, replayed into an empty ledger) is filed under the number as a newer one is, not under the
invoice's id, which no invoice of the book's is known by. Whichever of the two events comes
first, the credit ends up under the number."""

from __future__ import annotations

from datetime import date

from services.ledger.application.money_events import on_money_event
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.events import Envelope, LaInvoiceRaisedV1, ServiceCreditAppliedV1


async def on_la_invoice_raised(
    envelope: Envelope[LaInvoiceRaisedV1], *, uow: LedgerUnitOfWork, today: date
) -> None:
    event = envelope.payload
    await uow.la_invoice_numbers.remember(event.invoice_id, event.invoice_number)
    await on_money_event(envelope, uow=uow, today=today)


async def on_service_credit_applied(
    envelope: Envelope[ServiceCreditAppliedV1], *, uow: LedgerUnitOfWork, today: date
) -> None:
    event = envelope.payload
    if event.invoice_number is None:
        number = await uow.la_invoice_numbers.number_of(event.invoice_id)
        if number is not None:
            named = event.model_copy(update={"invoice_number": number})
            envelope = envelope.model_copy(update={"payload": named})
    await on_money_event(envelope, uow=uow, today=today)
