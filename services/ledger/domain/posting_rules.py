"""What each kind of money event does to the book, one rule per kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.ledger.domain.accounts import (
    LA_RECEIVABLES,
    SCHOOL_RECEIVABLES,
    VAT_OUTPUT,
    statutory_income,
    traded_income,
)
from services.ledger.domain.transaction import (
    Dimensions,
    JournalTransaction,
    Posting,
    Source,
    without_zero,
)
from shared.money import Strand


@dataclass(frozen=True)
class SaleLine:
    service_id: str
    category: str
    net_pence: int
    vat_pence: int


def school_invoiced(
    *,
    source: Source,
    invoice_number: str,
    issued_on: date,
    dimensions: Dimensions,
    lines: list[SaleLine],
) -> JournalTransaction:
    """Dr school receivables (gross); Cr traded income per line (net); Cr output VAT."""
    gross = sum(line.net_pence + line.vat_pence for line in lines)
    income = [
        Posting(
            traded_income(line.category),
            -line.net_pence,
            dimensions.but(service_id=line.service_id, category=line.category),
        )
        for line in lines
    ]
    return JournalTransaction(
        source=source,
        strand=Strand.TRADED,
        description=f"Invoice {invoice_number} to school {dimensions.urn}",
        posted_on=issued_on,
        postings=without_zero(
            [
                Posting(SCHOOL_RECEIVABLES, gross, dimensions),
                *income,
                Posting(VAT_OUTPUT, -sum(line.vat_pence for line in lines), dimensions),
            ]
        ),
    )


def la_invoiced(
    *,
    source: Source,
    contract_reference: str,
    invoice_number: str,
    issued_on: date,
    dimensions: Dimensions,
    net_pence: int,
    vat_pence: int,
) -> JournalTransaction:
    """Dr LA receivables (gross); Cr statutory income for the contract (net); Cr output VAT."""
    return JournalTransaction(
        source=source,
        strand=Strand.STATUTORY,
        description=f"Invoice {invoice_number} to the LA under contract {contract_reference}",
        posted_on=issued_on,
        postings=without_zero(
            [
                Posting(LA_RECEIVABLES, net_pence + vat_pence, dimensions),
                Posting(statutory_income(contract_reference), -net_pence, dimensions),
                Posting(VAT_OUTPUT, -vat_pence, dimensions),
            ]
        ),
    )
