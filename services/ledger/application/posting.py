"""The table of posting rules: which money event becomes which journal transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.ledger.domain import posting_rules
from services.ledger.domain.transaction import Dimensions, JournalTransaction, Source
from shared.events import Envelope, InvoiceRaisedV1, LaInvoiceRaisedV1


def _school_invoiced(envelope: Envelope[InvoiceRaisedV1]) -> JournalTransaction:
    event = envelope.payload
    return posting_rules.school_invoiced(
        source=Source(envelope.event_id, envelope.type),
        invoice_number=event.invoice_number,
        issued_on=event.issued_on,
        dimensions=Dimensions(
            financial_year=event.financial_year, urn=event.urn, phase=event.phase
        ),
        lines=[
            posting_rules.SaleLine(
                service_id=str(line.service_id),
                category=line.category,
                net_pence=line.net_pence,
                vat_pence=line.vat_pence,
            )
            for line in event.lines
        ],
    )


def _la_invoiced(envelope: Envelope[LaInvoiceRaisedV1]) -> JournalTransaction:
    event = envelope.payload
    return posting_rules.la_invoiced(
        source=Source(envelope.event_id, envelope.type),
        contract_reference=event.contract_reference,
        invoice_number=event.invoice_number,
        issued_on=event.issued_on,
        dimensions=Dimensions(
            financial_year=event.financial_year, contract_id=str(event.contract_id)
        ),
        net_pence=event.net_pence,
        vat_pence=event.vat_pence,
    )


POSTING_RULES: dict[type[Any], Callable[[Any], JournalTransaction]] = {
    InvoiceRaisedV1: _school_invoiced,
    LaInvoiceRaisedV1: _la_invoiced,
}
