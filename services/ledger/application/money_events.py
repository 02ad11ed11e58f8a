"""Money events posted to the book, and the table of posting rules: which money event becomes
which journal transactions.

| event                                  | debit                                   | credit                                          |
|----------------------------------------|-----------------------------------------|-------------------------------------------------|
| orders.order.paid.v1 (card)            | Stripe clearing (gross)                 | traded income or deferred income (net), VAT     |
| orders.invoice.raised.v1               | receivables: schools (gross)            | traded income or deferred income (net), VAT     |
| orders.invoice.settled.v1              | bank                                    | receivables: schools                            |
| orders.refund.issued.v1                | traded or deferred income (net), VAT    | Stripe clearing (gross)                         |
| orders.credit_note.issued.v1           | traded or deferred income (net), VAT    | receivables: schools (gross)                    |
| commissioning.invoice.raised.v1        | receivables: LA (gross)                 | statutory income for the contract (net), VAT    |
| commissioning.service_credit.applied.v1| statutory income for the contract, VAT  | receivables: LA (gross)                         |
| commissioning.deployment.completed.v1  | statutory delivery cost (net), input VAT| payables: providers (gross)                     |

Deferred income is recognised by further transactions dated when it is earned (see
`domain/recognition.py`). `orders.order.fulfilled.v1` posts nothing: recognition follows the
dates the lines carry (a course's day, a subscription's term), which the sale already knew.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.ledger.application.book_entries import post
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain import accounts as chart
from services.ledger.domain.entries import Cause, SaleLine, traded, transfer
from services.ledger.domain.recognition import not_yet_due
from services.ledger.domain.transaction import Dimensions, JournalTransaction
from shared.events import (
    CreditNoteIssuedV1,
    DeploymentCompletedV1,
    Envelope,
    Event,
    InvoiceRaisedV1,
    InvoiceSettledV1,
    LaInvoiceRaisedV1,
    OrderPaidV1,
    RefundIssuedV1,
    ServiceCreditAppliedV1,
)
from shared.events.orders import OrderLineV1, SchoolFields
from shared.money import Strand

# URN → phase of the schools a trust's order is for, as the register has them: the phase a
# single school's order carries comes from the same register in the orders service.
SchoolPhases = Mapping[int, str]


@dataclass(frozen=True)
class PostingRule:
    event: type[Event]
    post: Callable[[Any, SchoolPhases], list[JournalTransaction]]


def _cause(envelope: Envelope[Any]) -> Cause:
    return Cause(envelope.event_id, envelope.type)


def _school(event: SchoolFields, document: str) -> Dimensions:
    """Who the money is owed by or came from: the school, or the trust for a trust's order
    (whose lines each name their school)."""
    if event.trust_code:
        return Dimensions(trust_code=event.trust_code, la_code=event.la_code, document=document)
    return Dimensions(urn=event.urn, phase=event.phase, la_code=event.la_code, document=document)


def _lines(lines: tuple[OrderLineV1, ...], phases: SchoolPhases) -> list[SaleLine]:
    """The lines as sold; a trust's order's line names its school, and so its phase."""
    return [
        SaleLine(
            service_id=str(line.service_id),
            category=line.category,
            net_pence=line.net_pence,
            vat_pence=line.vat_pence,
            delivery_on=line.delivery_on,
            term_start=line.term_start,
            term_end=line.term_end,
            cfr_code=line.cfr_code,
            urn=line.urn,
            phase=None if line.urn is None else phases.get(line.urn),
        )
        for line in lines
    ]


def card_payment(envelope: Envelope[OrderPaidV1], phases: SchoolPhases) -> list[JournalTransaction]:
    event = envelope.payload
    return traded(
        cause=_cause(envelope),
        kind="sale",
        description=f"Card payment {event.payment_reference} from school {event.urn}",
        on=event.paid_on,
        counter=chart.STRIPE_CLEARING,
        dimensions=_school(event, event.payment_reference),
        lines=_lines(event.lines, phases),
    )


def school_invoice(
    envelope: Envelope[InvoiceRaisedV1], phases: SchoolPhases
) -> list[JournalTransaction]:
    event = envelope.payload
    return traded(
        cause=_cause(envelope),
        kind="sale",
        description=f"Invoice {event.invoice_number} to school {event.urn}",
        on=event.issued_on,
        counter=chart.SCHOOL_RECEIVABLES,
        dimensions=_school(event, event.invoice_number),
        lines=_lines(event.lines, phases),
    )


def invoice_settled(
    envelope: Envelope[InvoiceSettledV1], phases: SchoolPhases
) -> list[JournalTransaction]:
    event = envelope.payload
    return transfer(
        cause=_cause(envelope),
        kind="settlement",
        strand=Strand.TRADED,
        description=f"Remittance {event.remittance_reference} against {event.invoice_number}",
        on=event.settled_on,
        debit=[(chart.BANK, event.amount_pence)],
        credit=[(chart.SCHOOL_RECEIVABLES, event.amount_pence)],
        dimensions=_school(event, event.invoice_number),
    )


def refund(envelope: Envelope[RefundIssuedV1], phases: SchoolPhases) -> list[JournalTransaction]:
    event = envelope.payload
    return traded(
        cause=_cause(envelope),
        kind="refund",
        description=f"Refund of {event.payment_reference} to school {event.urn}: {event.reason}",
        on=event.refunded_on,
        counter=chart.STRIPE_CLEARING,
        dimensions=_school(event, event.payment_reference),
        lines=_lines(event.lines, phases),
        sign=-1,
    )


def credit_note(
    envelope: Envelope[CreditNoteIssuedV1], phases: SchoolPhases
) -> list[JournalTransaction]:
    event = envelope.payload
    return traded(
        cause=_cause(envelope),
        kind="credit_note",
        description=f"Credit note {event.credit_note_number} against {event.invoice_number}",
        on=event.issued_on,
        counter=chart.SCHOOL_RECEIVABLES,
        dimensions=_school(event, event.invoice_number),
        lines=_lines(event.lines, phases),
        sign=-1,
    )


def la_invoice(
    envelope: Envelope[LaInvoiceRaisedV1], phases: SchoolPhases
) -> list[JournalTransaction]:
    event = envelope.payload
    return transfer(
        cause=_cause(envelope),
        kind="la_invoice",
        strand=Strand.STATUTORY,
        description=f"Invoice {event.invoice_number} to the LA, contract {event.contract_reference}",
        on=event.issued_on,
        debit=[(chart.LA_RECEIVABLES, event.gross_pence)],
        credit=[
            (chart.statutory_income(event.contract_reference), event.net_pence),
            (chart.VAT_OUTPUT, event.vat_pence),
        ],
        dimensions=Dimensions(
            contract_id=str(event.contract_id),
            funding_source=event.funding_source,
            document=event.invoice_number,
        ),
    )


def service_credit(
    envelope: Envelope[ServiceCreditAppliedV1], phases: SchoolPhases
) -> list[JournalTransaction]:
    event = envelope.payload
    return transfer(
        cause=_cause(envelope),
        kind="service_credit",
        strand=Strand.STATUTORY,
        description=f"Service credit on contract {event.contract_reference}: {event.reason}",
        on=event.applied_on,
        debit=[
            (chart.statutory_income(event.contract_reference), event.net_pence),
            (chart.VAT_OUTPUT, event.vat_pence),
        ],
        credit=[(chart.LA_RECEIVABLES, event.gross_pence)],
        dimensions=Dimensions(
            contract_id=str(event.contract_id),
            funding_source=event.funding_source,
            document=str(event.invoice_id),
        ),
    )


def provider_cost(
    envelope: Envelope[DeploymentCompletedV1], phases: SchoolPhases
) -> list[JournalTransaction]:
    event = envelope.payload
    return transfer(
        cause=_cause(envelope),
        kind="provider_cost",
        strand=Strand.STATUTORY,
        description=(
            f"{event.provider_name}: {event.half_days} half-days at school {event.urn}, "
            f"contract {event.contract_reference}"
        ),
        on=event.completed_on,
        debit=[(chart.STATUTORY_DELIVERY, event.net_pence), (chart.VAT_INPUT, event.vat_pence)],
        credit=[(chart.PROVIDER_PAYABLES, event.gross_pence)],
        dimensions=Dimensions(
            urn=event.urn, contract_id=str(event.contract_id), document=event.provider_name
        ),
    )


POSTING_RULES: dict[type[Event], PostingRule] = {
    rule.event: rule
    for rule in (
        PostingRule(OrderPaidV1, card_payment),
        PostingRule(InvoiceRaisedV1, school_invoice),
        PostingRule(InvoiceSettledV1, invoice_settled),
        PostingRule(RefundIssuedV1, refund),
        PostingRule(CreditNoteIssuedV1, credit_note),
        PostingRule(LaInvoiceRaisedV1, la_invoice),
        PostingRule(ServiceCreditAppliedV1, service_credit),
        PostingRule(DeploymentCompletedV1, provider_cost),
    )
}


async def on_money_event(envelope: Envelope[Any], *, uow: LedgerUnitOfWork, today: date) -> None:
    """Post what a money event means; a transaction already in the book is left alone. Income
    it recognises after `today` is scheduled, for the recognition job to post on its day. The
    lines of a trust's order take their schools' phases from the register."""
    lines = getattr(envelope.payload, "lines", None) or ()
    uow.writes.name_services({str(line.service_id): line.title for line in lines})
    phases = await uow.register.phases({line.urn for line in lines if line.urn is not None})
    posted = POSTING_RULES[type(envelope.payload)].post(envelope, phases)
    now, later = not_yet_due(posted, today)
    uow.writes.schedule(later)
    await post(uow, now)
