"""Building real event envelopes by hand, for tests that publish straight to JetStream."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import nats

from shared.events import Envelope, InvoiceRaisedV1
from shared.events.orders import OrderLineV1
from shared.money import Strand, VatRate
from tests.support.nats_server import PUBLISH_TIMEOUT_SECONDS


def invoice_raised(*, net_pence: int = 100_000, urn: int = 117083) -> Envelope[InvoiceRaisedV1]:
    vat = net_pence // 5
    line = OrderLineV1(
        service_id=uuid4(),
        title="Governor clerking service",
        service_type="subscription",
        category="Governance",
        price_version=1,
        quantity=1,
        unit_price_pence=net_pence,
        vat_rate=VatRate.STANDARD,
        net_pence=net_pence,
        vat_pence=vat,
        gross_pence=net_pence + vat,
    )
    event = InvoiceRaisedV1(
        invoice_id=uuid4(),
        invoice_number="INV-900001",
        order_id=uuid4(),
        purchase_order="PO-1",
        issued_on=date(2026, 11, 2),
        due_on=date(2026, 12, 2),
        lines=(line,),
        urn=urn,
        school_name="Abbots Langley School",
        phase="Primary",
        la_code="919",
        strand=Strand.TRADED,
        net_pence=net_pence,
        vat_pence=vat,
        gross_pence=net_pence + vat,
        financial_year="2026-27",
    )
    return Envelope.of(event)


async def publish_raw(nats_url: str, envelope: Envelope[Any], *, msg_id: str) -> bool:
    """Publish to JetStream as the relay does; True unless the stream dropped it as a duplicate."""
    connection = await nats.connect(nats_url)
    try:
        ack = await connection.jetstream().publish(
            envelope.type,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": msg_id, "content-type": "application/json"},
            timeout=PUBLISH_TIMEOUT_SECONDS,
        )
        return not ack.duplicate
    finally:
        await connection.close()


def event_id(envelope: Envelope[InvoiceRaisedV1]) -> UUID:
    return envelope.event_id
