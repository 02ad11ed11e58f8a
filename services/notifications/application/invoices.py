"""Invoices kept open for their reminders: what each still asks for as payments and credits
arrive, a reminder not sent yet withdrawn when that changes."""

from __future__ import annotations

from uuid import UUID

from services.notifications.application.orders import remember_subscriptions
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.dunning import OpenInvoice, reminder_keys
from shared.events import CreditNoteIssuedV1, Envelope, InvoiceRaisedV1, InvoiceSettledV1


async def invoice_raised(
    envelope: Envelope[InvoiceRaisedV1], *, uow: NotificationsUnitOfWork
) -> None:
    event = envelope.payload
    await uow.read_models.open_invoice(
        OpenInvoice(
            invoice_id=event.invoice_id,
            number=event.invoice_number,
            urn=event.urn,
            school_name=event.school_name,
            due_on=event.due_on,
            outstanding_pence=event.gross_pence,
            trust_name=event.trust_name,
            trust_code=event.trust_code,
            gross_pence=event.gross_pence,
        )
    )
    await remember_subscriptions(uow, event)


async def invoice_settled(
    envelope: Envelope[InvoiceSettledV1], *, uow: NotificationsUnitOfWork
) -> None:
    event = envelope.payload
    await uow.read_models.invoice_owes(event.invoice_id, event.outstanding_pence)
    await _reminders_outdated(uow, event.invoice_id)


async def invoice_credited(
    envelope: Envelope[CreditNoteIssuedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """A credit note reduces the invoice: a part credit (half a course, one line, the unused
    months of a subscription) leaves the rest owed, and reminded of."""
    event = envelope.payload
    if event.outstanding_pence is None:  # a credit note from before it said what is left
        await uow.read_models.invoice_less(event.invoice_id, event.gross_pence)
    else:
        await uow.read_models.invoice_owes(event.invoice_id, event.outstanding_pence)
    await _reminders_outdated(uow, event.invoice_id)


async def _reminders_outdated(uow: NotificationsUnitOfWork, invoice_id: UUID) -> None:
    """A reminder not sent yet says what was owed before: withdrawn, for the calendar's next
    run to send it again with what is owed now (or nothing, once nothing is)."""
    await uow.messages.withdraw(
        reminder_keys(invoice_id), why="withdrawn: a payment or credit changed what is owed"
    )
