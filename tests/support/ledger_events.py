"""Money events as the orders and commissioning services publish them, built by hand for the
ledger's tests, for schools of the real Hertfordshire register."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from uuid import UUID, uuid4

import nats

from shared.calendar import financial_year
from shared.events import (
    ContractSignedV1,
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
    SchoolRegisteredV1,
    ServiceCreditAppliedV1,
)
from shared.events.orders import OrderLineV1
from shared.money import Strand, VatRate, vat_on
from tests.support.nats_server import PUBLISH_TIMEOUT_SECONDS

E = TypeVar("E", bound=Event)

SCHOOLS = {  # URN: (name, phase), from services/seed/data/schools-hertfordshire.csv
    117083: ("Abbots Langley School", "Primary"),
    117084: ("Ashwell Primary School", "Primary"),
    117499: ("The Priory School", "Secondary"),
    117504: ("Fearnhill School", "Secondary"),
}
# The repository's register is Hertfordshire's alone (LA 919): for a trust across two LAs, a
# school made up in Luton (LA 821). Not real data.
LUTON_PRIMARY = 999_821
GOVERNANCE = UUID("00000000-0000-4000-8000-000000000001")  # a subscription
MIDDLE_LEADERS = UUID("00000000-0000-4000-8000-000000000002")  # a course
HR_ADVICE = UUID("00000000-0000-4000-8000-000000000003")  # sold outright
IMPROVEMENT_DAY = UUID("00000000-0000-4000-8000-000000000004")  # consultancy: on delivery
CONTRACT = UUID("00000000-0000-4000-8000-0000000000c1")
TITLES = {
    GOVERNANCE: "Governor clerking service",
    MIDDLE_LEADERS: "Middle leadership programme",
    HR_ADVICE: "HR advice line",
    IMPROVEMENT_DAY: "Additional improvement-partner visit",
}


def envelope(event: E, *, event_id: UUID | None = None) -> Envelope[E]:
    return Envelope.of(event, event_id=event_id)


def line(
    net_pence: int,
    *,
    service_id: UUID = HR_ADVICE,
    category: str = "HR and employment",
    service_type: str = "one_off",
    line_id: UUID | None = None,
    **dates: date,
) -> OrderLineV1:
    """A line as orders publishes it. With no `line_id`, as it did before lines had ids: an
    undated line of such an event was income when sold (see `consultancy` for one with an id,
    whose income waits for its order's delivery)."""
    vat = vat_on(net_pence, VatRate.STANDARD)
    return OrderLineV1(
        service_id=service_id,
        title=TITLES[service_id],
        service_type=service_type,
        category=category,
        price_version=1,
        quantity=1,
        unit_price_pence=net_pence,
        vat_rate=VatRate.STANDARD,
        net_pence=net_pence,
        vat_pence=vat,
        gross_pence=net_pence + vat,
        line_id=line_id,
        **dates,  # type: ignore[arg-type]
    )


def subscription(
    net_pence: int, start: date, end: date, *, line_id: UUID | None = None
) -> OrderLineV1:
    """A subscription's line over its term; given back, `start` is the first day it gives back
    and `line_id` names the line sold."""
    return line(
        net_pence,
        service_id=GOVERNANCE,
        category="Governance",
        service_type="subscription",
        line_id=line_id,
        term_start=start,
        term_end=end,
    )


def course(net_pence: int, on: date) -> OrderLineV1:
    return line(
        net_pence,
        service_id=MIDDLE_LEADERS,
        category="CPD and leadership",
        service_type="course",
        delivery_on=on,
    )


def consultancy(net_pence: int, *, line_id: UUID | None = None) -> OrderLineV1:
    """An undated line with an id, as orders publishes one now: earned when the order is
    delivered (a refund of it names the same `line_id`)."""
    return line(
        net_pence,
        service_id=IMPROVEMENT_DAY,
        category="School improvement",
        service_type="consultancy",
        line_id=line_id or uuid4(),
    )


def for_school(urn: int, line: OrderLineV1) -> OrderLineV1:
    """A line of an academy trust's order: for this school of the trust."""
    return line.model_copy(update={"urn": urn})


def trust_subscriptions(
    schools: int, services: int, start: date, end: date, *, number: str = "INV-T"
) -> InvoiceRaisedV1:
    """An academy trust's invoice of one subscription line for each of `services` services at
    each of `schools` schools (made up: URNs from 900000), all over one term from `start`."""
    lines = [
        for_school(
            900_000 + school,
            subscription(120_000 + school, start, end).model_copy(
                update={"service_id": UUID(int=0x5E_0000 + service)}
            ),
        )
        for school in range(schools)
        for service in range(services)
    ]
    return by_trust(invoice_raised(117083, start, *lines, number=number))


def registered_in_luton() -> Envelope[SchoolRegisteredV1]:
    """The register's event for the made-up `LUTON_PRIMARY`, as orders publishes a school's."""
    return envelope(
        SchoolRegisteredV1(
            urn=LUTON_PRIMARY,
            name="Made-up Luton Primary School",
            la_code="821",
            la_name="Luton",
            establishment_type="Academy converter",
            type_group="Academy",
            phase="Primary",
            pupils=210,
            postcode="LU1 1AA",
            town="Luton",
            trust_code="DEMO-1",
            trust_name="Demo Trust",
        )
    )


def by_trust(event: E, trust_code: str = "DEMO-1") -> E:
    """The event of an academy trust's order: the trust is the customer, the event's school its
    first school, and each line names its own (see `for_school`)."""
    return event.model_copy(update={"trust_code": trust_code, "trust_name": "Demo Trust"})


def _school(urn: int) -> dict[str, Any]:
    name, phase = SCHOOLS[urn]
    return {"urn": urn, "school_name": name, "phase": phase, "la_code": "919"}


def _money(lines: tuple[OrderLineV1, ...], on: date, strand: Strand) -> dict[str, Any]:
    net, vat = sum(x.net_pence for x in lines), sum(x.vat_pence for x in lines)
    return {
        "strand": strand,
        "net_pence": net,
        "vat_pence": vat,
        "gross_pence": net + vat,
        "financial_year": financial_year(on),
    }


def order_paid(
    urn: int, on: date, *lines: OrderLineV1, reference: str = "pi_1", order_id: UUID | None = None
) -> OrderPaidV1:
    return OrderPaidV1(
        order_id=order_id or uuid4(),
        payment_reference=reference,
        paid_on=on,
        lines=lines,
        **_school(urn),
        **_money(lines, on, Strand.TRADED),
    )


def invoice_raised(
    urn: int, on: date, *lines: OrderLineV1, number: str, order_id: UUID | None = None
) -> InvoiceRaisedV1:
    return InvoiceRaisedV1(
        invoice_id=uuid4(),
        invoice_number=number,
        order_id=order_id or uuid4(),
        purchase_order="PO-1",
        issued_on=on,
        due_on=on.replace(day=28),
        lines=lines,
        **_school(urn),
        **_money(lines, on, Strand.TRADED),
    )


def invoice_settled(urn: int, on: date, *, number: str, pence: int) -> InvoiceSettledV1:
    return InvoiceSettledV1(
        invoice_id=uuid4(),
        invoice_number=number,
        order_id=uuid4(),
        amount_pence=pence,
        outstanding_pence=0,
        settled_on=on,
        remittance_reference=f"BACS {number}",
        financial_year=financial_year(on),
        **_school(urn),
    )


def refund_issued(
    urn: int, on: date, *lines: OrderLineV1, reference: str, order_id: UUID | None = None
) -> RefundIssuedV1:
    return RefundIssuedV1(
        refund_id=uuid4(),
        order_id=order_id or uuid4(),
        payment_reference=reference,
        refunded_on=on,
        reason="cancelled by the school",
        lines=lines,
        **_school(urn),
        **_money(lines, on, Strand.TRADED),
    )


def credit_note(
    urn: int, on: date, *lines: OrderLineV1, invoice: str, order_id: UUID | None = None
) -> CreditNoteIssuedV1:
    return CreditNoteIssuedV1(
        credit_note_id=uuid4(),
        credit_note_number=f"CN-{invoice}",
        invoice_id=uuid4(),
        invoice_number=invoice,
        order_id=order_id or uuid4(),
        issued_on=on,
        reason="course place not taken",
        lines=lines,
        **_school(urn),
        **_money(lines, on, Strand.TRADED),
    )


def order_fulfilled(urn: int, on: date, *lines: OrderLineV1, order_id: UUID) -> OrderFulfilledV1:
    return OrderFulfilledV1(
        order_id=order_id,
        fulfilled_on=on,
        lines=lines,
        **_school(urn),
        **_money(lines, on, Strand.TRADED),
    )


def _statutory(net: int, on: date) -> dict[str, Any]:
    vat = vat_on(net, VatRate.STANDARD)
    return {
        "strand": Strand.STATUTORY,
        "net_pence": net,
        "vat_pence": vat,
        "gross_pence": net + vat,
        "financial_year": financial_year(on),
    }


def contract_signed(
    *, contract: UUID = CONTRACT, title: str = "School improvement support 2026-27"
) -> ContractSignedV1:
    return ContractSignedV1(
        contract_id=contract,
        reference="HCC-SI-2026",
        title=title,
        statutory_duty="Education Act 1996 s13A",
        funding_source="council_budget",
        value_pence=36_000_000,
        start_on=date(2026, 4, 1),
        end_on=date(2027, 3, 31),
    )


def la_invoice(
    net: int,
    on: date,
    *,
    number: str,
    funding: str = "council_budget",
    contract: UUID = CONTRACT,
    invoice_id: UUID | None = None,
) -> LaInvoiceRaisedV1:
    return LaInvoiceRaisedV1(
        invoice_id=invoice_id or uuid4(),
        invoice_number=number,
        contract_id=contract,
        contract_reference="HCC-SI-2026",
        milestone_id=uuid4(),
        funding_source=funding,
        issued_on=on,
        due_on=on,
        **_statutory(net, on),
    )


def service_credit(
    net: int,
    on: date,
    *,
    funding: str | None = None,
    number: str | None = None,
    invoice_id: UUID | None = None,
) -> ServiceCreditAppliedV1:
    """A credit off the invoice `number` (None: as sent before credits named their invoice's
    number, by an id alone: `invoice_id`, or one of no invoice's)."""
    return ServiceCreditAppliedV1(
        invoice_number=number,
        funding_source=funding,
        service_credit_id=uuid4(),
        contract_id=CONTRACT,
        contract_reference="HCC-SI-2026",
        kpi_id=uuid4(),
        invoice_id=invoice_id or uuid4(),
        applied_on=on,
        reason="visit reports late",
        **_statutory(net, on),
    )


def deployment(net: int, on: date, *, urn: int = 117083) -> DeploymentCompletedV1:
    return DeploymentCompletedV1(
        deployment_id=uuid4(),
        case_id=uuid4(),
        contract_id=CONTRACT,
        contract_reference="HCC-SI-2026",
        provider_id=None,
        provider_name="Hertfordshire Teaching School Hub",
        provider_kind="teaching_school",
        urn=urn,
        half_days=4,
        day_rate_pence=net // 2,
        completed_on=on,
        **_statutory(net, on),
    )


async def publish(nats_url: str, *envelopes: Envelope[Any]) -> None:
    """Publish to JetStream as a producer's relay does (message id = event id)."""
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        for item in envelopes:
            await jetstream.publish(
                item.type,
                item.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(item.event_id)},
                timeout=PUBLISH_TIMEOUT_SECONDS,
            )
    finally:
        await connection.close()
