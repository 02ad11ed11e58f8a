"""Money events posted to the book, and the table of posting rules: which money event becomes
which journal transactions.

| event                                  | debit                                   | credit                                          |
|----------------------------------------|-----------------------------------------|-------------------------------------------------|
| orders.order.paid.v1 (card)            | Stripe clearing (gross)                 | traded income or deferred income (net), VAT     |
| orders.invoice.raised.v1               | receivables: schools (gross)            | traded income or deferred income (net), VAT     |
| orders.invoice.settled.v1              | bank                                    | receivables: schools                            |
| orders.refund.issued.v1 (card)         | traded or deferred income (net), VAT    | Stripe clearing (gross)                         |
| orders.refund.issued.v1 (bank transfer)| traded or deferred income (net), VAT    | bank (gross)                                    |
| orders.credit_note.issued.v1           | traded or deferred income (net), VAT    | receivables: schools (gross)                    |
| commissioning.invoice.raised.v1        | receivables: LA (gross)                 | statutory income for the contract (net), VAT    |
| commissioning.service_credit.applied.v1| statutory income for the contract, VAT  | receivables: LA (gross)                         |
| commissioning.deployment.completed.v1  | statutory delivery cost (net), input VAT| payables: providers (gross)                     |
| the same, by the company's own adviser | nothing (owed to no one)                 | nothing                                         |

Deferred income is recognised by further transactions dated when it is earned (see
`domain/recognition.py`): on the dates the lines carry (a course's day, a subscription's term),
which the sale already knew, or, for a line neither dated nor termed (a consultancy day), when
`orders.order.fulfilled.v1` says the order was delivered. Such a line refunded or credited
before delivery takes back deferred income, after it income. A subscription's line sold is
kept as sold, one row a line (`term_lines`); given back, it takes from each month of the term it
names by what that month still earns (its sale's part less what give-backs took, `term_months`),
so that its parts given back telescope: given back whole, in however many parts, it earns
nothing in any month.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.ledger.application.book_entries import post_or_schedule
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain import accounts as chart
from services.ledger.domain.entries import (
    Cause,
    Entries,
    SaleLine,
    SchoolPlace,
    delivered,
    traded,
    transfer,
)
from services.ledger.domain.transaction import Dimensions
from shared.api.commissioning import ProviderKind
from shared.events import (
    CreditNoteIssuedV1,
    DeploymentCompletedV1,
    Envelope,
    Event,
    InvoiceRaisedV1,
    InvoiceSettledV1,
    LaInvoiceRaisedV1,
    OrderFulfilledV1,
    OrderPaidV1,
    RefundIssuedV1,
    RefundMethod,
    ServiceCreditAppliedV1,
)
from shared.events.orders import OrderLineV1, SchoolFields
from shared.money import Strand


@dataclass(frozen=True)
class Known:
    """What the book knows beside the event: the phases and LAs of the schools a trust's order
    is for (as the register has them; a single school's order carries its own, from the same
    register in orders), and the day the order was delivered, if it has been."""

    schools: Mapping[int, SchoolPlace]
    delivered_on: date | None = None
    income_at_sale: frozenset[str] = frozenset()  # lines awaiting delivery sold before the
    # book held income for delivery: their sale booked income, which their refund takes back
    # termed lines given back: what each month of each (by line id) still earns, its sale's
    # part (`entries.TermLine`) less what earlier give-backs took (`entries.TermMonth`)
    earning: Mapping[str, Mapping[date, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class PostingRule:
    event: type[Event]
    post: Callable[[Any, Known], Entries]
    # a refund or credit note: the document of the sale it undoes (its payment or invoice)
    sale_document: Callable[[Any], str] | None = None


def _cause(envelope: Envelope[Any]) -> Cause:
    return Cause(envelope.event_id, envelope.type)


def _school(event: SchoolFields, document: str) -> Dimensions:
    """Who the money is owed by or came from: the school, or the trust for a trust's order
    (whose lines each name their school)."""
    if event.trust_code:
        return Dimensions(trust_code=event.trust_code, la_code=event.la_code, document=document)
    return Dimensions(urn=event.urn, phase=event.phase, la_code=event.la_code, document=document)


def _customer(event: SchoolFields) -> str:
    """Who bought: a trust's order is the trust's (its events name only its first school)."""
    return f"trust {event.trust_code}" if event.trust_code else f"school {event.urn}"


def _lines(lines: tuple[OrderLineV1, ...], schools: Mapping[int, SchoolPlace]) -> list[SaleLine]:
    """The lines as sold; a trust's order's line names its school, and so its phase and LA."""
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
            school=None if line.urn is None else schools.get(line.urn),
            line_id=None if line.line_id is None else str(line.line_id),
        )
        for line in lines
    ]


def _traded(
    envelope: Envelope[Any],
    known: Known,
    *,
    kind: str,
    description: str,
    on: date,
    counter: chart.Account,
    document: str,
    sign: int = 1,
) -> Entries:
    """A sale, refund or credit note of an order's lines, as `entries.traded` books it."""
    event = envelope.payload
    return traded(
        cause=_cause(envelope),
        kind=kind,
        description=description,
        on=on,
        counter=counter,
        dimensions=_school(event, document),
        lines=_lines(event.lines, known.schools),
        delivered_on=known.delivered_on,
        income_at_sale=known.income_at_sale,
        earning=known.earning,
        sign=sign,
    )


def _transfer(
    envelope: Envelope[Any],
    *,
    kind: str,
    strand: Strand,
    description: str,
    on: date,
    debit: list[tuple[chart.Account, int]],
    credit: list[tuple[chart.Account, int]],
    dimensions: Dimensions,
) -> Entries:
    """A plain transaction caused by this event, as `entries.transfer` books it."""
    return Entries(
        transfer(
            cause=_cause(envelope),
            kind=kind,
            strand=strand,
            description=description,
            on=on,
            debit=debit,
            credit=credit,
            dimensions=dimensions,
        )
    )


def card_payment(envelope: Envelope[OrderPaidV1], known: Known) -> Entries:
    event = envelope.payload
    return _traded(
        envelope,
        known,
        kind="sale",
        description=f"Card payment {event.payment_reference} from {_customer(event)}",
        on=event.paid_on,
        counter=chart.STRIPE_CLEARING,
        document=event.payment_reference,
    )


def school_invoice(envelope: Envelope[InvoiceRaisedV1], known: Known) -> Entries:
    event = envelope.payload
    return _traded(
        envelope,
        known,
        kind="sale",
        description=f"Invoice {event.invoice_number} to {_customer(event)}",
        on=event.issued_on,
        counter=chart.SCHOOL_RECEIVABLES,
        document=event.invoice_number,
    )


def invoice_settled(envelope: Envelope[InvoiceSettledV1], known: Known) -> Entries:
    event = envelope.payload
    return _transfer(
        envelope,
        kind="settlement",
        strand=Strand.TRADED,
        description=f"Remittance {event.remittance_reference} against {event.invoice_number}",
        on=event.settled_on,
        debit=[(chart.BANK, event.amount_pence)],
        credit=[(chart.SCHOOL_RECEIVABLES, event.amount_pence)],
        dimensions=_school(event, event.invoice_number),
    )


def refund(envelope: Envelope[RefundIssuedV1], known: Known) -> Entries:
    """A card refund leaves Stripe clearing (Stripe takes it from its next payout); one the card
    processor refused, paid back by bank transfer instead, leaves the bank, where the bank
    statement shows it, and clearing is left as the sale and its payout left it."""
    event = envelope.payload
    by_transfer = event.method is RefundMethod.BANK_TRANSFER
    how = f" by bank transfer {event.transfer_reference}" if by_transfer else ""
    return _traded(
        envelope,
        known,
        kind="refund",
        description=(
            f"Refund of {event.payment_reference} to {_customer(event)}{how}: {event.reason}"
        ),
        on=event.refunded_on,
        counter=chart.BANK if by_transfer else chart.STRIPE_CLEARING,
        document=event.payment_reference,
        sign=-1,
    )


def credit_note(envelope: Envelope[CreditNoteIssuedV1], known: Known) -> Entries:
    event = envelope.payload
    return _traded(
        envelope,
        known,
        kind="credit_note",
        description=f"Credit note {event.credit_note_number} against {event.invoice_number}",
        on=event.issued_on,
        counter=chart.SCHOOL_RECEIVABLES,
        document=event.invoice_number,
        sign=-1,
    )


def la_invoice(envelope: Envelope[LaInvoiceRaisedV1], known: Known) -> Entries:
    event = envelope.payload
    return _transfer(
        envelope,
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


def service_credit(envelope: Envelope[ServiceCreditAppliedV1], known: Known) -> Entries:
    event = envelope.payload
    return _transfer(
        envelope,
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
            document=event.invoice_number or str(event.invoice_id),
        ),
    )


def provider_cost(envelope: Envelope[DeploymentCompletedV1], known: Known) -> Entries:
    """What the company owes a provider for support delivered. Support by one of its own
    advisers is owed to no one and comes with no VAT invoice: the adviser's pay is already among
    the company's own costs, so nothing is posted (no payable, no input VAT, no second cost)."""
    event = envelope.payload
    if event.provider_kind == ProviderKind.ADVISER:
        return Entries([])
    return _transfer(
        envelope,
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
        PostingRule(RefundIssuedV1, refund, lambda event: event.payment_reference),
        PostingRule(CreditNoteIssuedV1, credit_note, lambda event: event.invoice_number),
        PostingRule(LaInvoiceRaisedV1, la_invoice),
        PostingRule(ServiceCreditAppliedV1, service_credit),
        PostingRule(DeploymentCompletedV1, provider_cost),
    )
}


async def on_money_event(envelope: Envelope[Any], *, uow: LedgerUnitOfWork, today: date) -> None:
    """Post what a money event means; a transaction already in the book is left alone. Income
    it recognises after `today` is scheduled, for the recognition job to post on its day. The
    lines of a trust's order take their schools' phases and LAs from the register; a line that
    awaits its order's delivery is held for it, unless the order was delivered already. A
    termed line sold is kept as sold; one given back takes from each month by what the book
    says it still earns, and what it takes is added up month by month."""
    event = envelope.payload
    rule = POSTING_RULES[type(event)]
    lines = getattr(event, "lines", None) or ()
    uow.writes.name_services({str(line.service_id): line.title for line in lines})
    schools = await uow.register.places({line.urn for line in lines if line.urn is not None})
    sale_lines = _lines(lines, schools)
    delivered_on, income_at_sale = None, frozenset[str]()
    awaiting = [line for line in sale_lines if line.awaits_delivery]
    if awaiting:
        delivered_on = await uow.deliveries.delivered_on(str(event.order_id))
        if delivered_on is None and rule.sale_document:
            income_at_sale = await _sold_as_income(
                uow, str(event.order_id), rule.sale_document(event), awaiting
            )
    termed = {line.line_id for line in sale_lines if line.line_id and line.term_start}
    earning: Mapping[str, Mapping[date, int]] = {}
    if termed and rule.sale_document:  # a give-back
        await uow.writes.write_terms()  # a sale applied in the same batch is read too
        earning = await uow.terms.earning(str(event.order_id), termed)
    entries = rule.post(envelope, Known(schools, delivered_on, income_at_sale, earning))
    if entries.awaiting_delivery:
        await uow.deliveries.hold(str(event.order_id), entries.awaiting_delivery)
    if entries.term_lines:  # written with the batch's postings
        uow.writes.sell_terms(str(event.order_id), entries.term_lines)
    if entries.term_months:
        await uow.terms.add(str(event.order_id), entries.term_months)
    await post_or_schedule(uow, entries.transactions, today)


async def _sold_as_income(
    uow: LedgerUnitOfWork, order_id: str, document: str, lines: list[SaleLine]
) -> frozenset[str]:
    """Of these lines given back, those whose sale booked income at once (sold before the book
    held income for delivery). A line that holds nothing may instead have a sale not yet
    applied (another subject's consumer): its refund is then held against it."""
    held = await uow.deliveries.held(order_id)
    unheld = [line for line in lines if line.line_id not in held]
    if not unheld:
        return frozenset()
    services = await uow.deliveries.sold_as_income(document, {line.service_id for line in unheld})
    return frozenset(str(line.line_id) for line in unheld if line.service_id in services)


async def on_order_fulfilled(
    envelope: Envelope[OrderFulfilledV1], *, uow: LedgerUnitOfWork, today: date
) -> None:
    """The order is delivered: what its lines held for delivery becomes income on that day
    (scheduled, if that day is after `today`), and a sale of it booked later is income then."""
    event = envelope.payload
    if not any(line.awaits_delivery for line in _lines(event.lines, {})):
        return  # its income follows its lines' dates, which the sale knew
    held = await uow.deliveries.deliver(str(event.order_id), event.fulfilled_on)
    description = f"Order {event.order_id} delivered to {_customer(event)}"
    posted = delivered(
        cause=_cause(envelope), description=description, on=event.fulfilled_on, awaited=held
    )
    await post_or_schedule(uow, posted, today)
