"""The LA paying an invoice of the company's, as finance records it from the bank statement:
Dr bank, Cr receivables: LA (statutory), filed under the invoice's number, so that the invoice's
open item shows what is left to pay. One payment is known by its invoice and the bank's
reference: recorded again, it is the same transaction, which the book posts once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid5

from services.ledger.domain import accounts as chart
from services.ledger.domain.transaction import (
    LA_PAYMENT_SUBJECT,
    Dimensions,
    JournalTransaction,
    Posting,
    Source,
)
from shared.money import Strand

_REFERENCES = UUID("0b8f6f0e-5a43-4c1e-9f57-3d2a6c1b7e90")
LA_PAYMENT_KIND = "la_payment"


@dataclass(frozen=True)
class LaPayment:
    invoice_number: str
    amount_pence: int
    received_on: date
    reference: str  # the bank's (BACS) reference


def la_paid(payment: LaPayment) -> JournalTransaction:
    at = Dimensions(document=payment.invoice_number)
    # the reference goes into the key as a uuid: a long one would not fit the key's width
    reference = uuid5(_REFERENCES, payment.reference)
    return JournalTransaction(
        source=Source(f"la-payment:{payment.invoice_number}:{reference}", LA_PAYMENT_SUBJECT),
        kind=LA_PAYMENT_KIND,
        strand=Strand.STATUTORY,
        description=f"Payment {payment.reference} by the LA against {payment.invoice_number}",
        dated=payment.received_on,
        postings=(
            Posting(chart.BANK, payment.amount_pence, at),
            Posting(chart.LA_RECEIVABLES, -payment.amount_pence, at),
        ),
        reference=payment.reference,
    )


@dataclass(frozen=True)
class LaPaymentRecorded:
    """A payment by the LA as the book holds it, for finance to set beside the bank statement:
    one reversed since is still listed, with its reversal, though no longer paid."""

    reference: str
    amount_pence: int
    received_on: date
    recorded_at: datetime
    recorded_by: str | None  # whom the audit trail names; None if it names no one
    reversed_on: date | None = None
    reversal_description: str | None = None  # the reversal's, which quotes finance's reason
    reversal_reason: str | None = None  # finance's, whole


@dataclass(frozen=True)
class LaInvoiceOwed:
    """An invoice to the LA as the book holds it: what was invoiced, what service credits took
    off it, what the LA has paid, and what is left (after any journal to it as well)."""

    number: str
    invoiced_on: date | None  # the day of its first debit: None if the book has only credits
    invoiced_pence: int
    credited_pence: int
    paid_pence: int
    outstanding_pence: int
