"""The evaluation service on its own: a real database, its worker consuming from a real NATS
JetStream, and helpers that publish the other services' events as they would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import httpx
import nats
from sqlalchemy import select

from services import registry
from services.orders.adapters.register_csv import read_register
from services.seed.files import SCHOOLS_CSV
from shared.events import (
    CreditNoteIssuedV1,
    DeploymentCompletedV1,
    Envelope,
    Event,
    InvoiceRaisedV1,
    OrderCancelledV1,
    OrderFulfilledV1,
    OrderPaidV1,
    OrderPlacedV1,
    SchoolRegisteredV1,
    TransactionPostedV1,
)
from shared.events.ledger import PostingV1
from shared.events.orders import OrderLineV1
from shared.messaging.consumer import apply_once
from shared.money import Strand, VatRate
from shared.service import Service
from tests.support.databases import DatabaseFactory
from tests.support.nats_server import PUBLISH_TIMEOUT_SECONDS
from tests.support.platform import reset_streams

REGISTER = {school.urn: school for school in read_register(SCHOOLS_CSV)}


@dataclass
class EvaluationWorld:
    service: Service[Any]
    api: httpx.AsyncClient
    nats_url: str

    async def publish(self, event: Event) -> UUID:
        envelope = Envelope.of(event)
        connection = await nats.connect(self.nats_url)
        try:
            await connection.jetstream().publish(
                event.subject,
                envelope.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(envelope.event_id)},
                timeout=PUBLISH_TIMEOUT_SECONDS,
            )
        finally:
            await connection.close()
        return envelope.event_id

    async def registered_schools(self) -> int:
        async with self.service.unit_of_work() as uow:
            return len(await uow.schools.find())

    async def register(self, *urns: int) -> None:
        for urn in urns:
            school = REGISTER[urn]
            await self.publish(
                SchoolRegisteredV1(
                    urn=school.urn,
                    name=school.name,
                    la_code=school.la_code,
                    la_name=school.la_name,
                    establishment_type=school.establishment_type,
                    type_group=school.type_group,
                    phase=school.phase,
                    pupils=school.pupils,
                    postcode=school.postcode,
                    town=school.town,
                )
            )

    async def order(self, urn: int, service_id: UUID, *, provider_id: UUID | None = None) -> UUID:
        """A school orders a service on invoice and it is delivered (placed, invoiced, then
        fulfilled)."""
        line = order_line(service_id, provider_id=provider_id)
        order_id = await self.place(urn, service_id, line=line, payment_method="invoice")
        school_fields = self.school_fields(urn)
        await self.publish(
            InvoiceRaisedV1(
                **school_fields,
                **self.totals(line),
                invoice_id=uuid4(),
                invoice_number=f"INV-{order_id.hex[:6]}",
                order_id=order_id,
                purchase_order="PO-1",
                issued_on=date(2025, 9, 1),
                due_on=date(2025, 10, 1),
                lines=(line,),
            )
        )
        await self.publish(
            OrderFulfilledV1(
                **school_fields, order_id=order_id, fulfilled_on=date(2025, 9, 2), lines=(line,)
            )
        )
        await self.post_income(service_id, urn=urn, net_pence=line.net_pence)
        return order_id

    async def place(
        self, urn: int, service_id: UUID, *, line: OrderLineV1 | None = None, payment_method: str
    ) -> UUID:
        """A school places an order: by card it takes part only once the payment succeeds."""
        line = line or order_line(service_id)
        order_id = uuid4()
        await self.publish(
            OrderPlacedV1(
                **self.school_fields(urn),
                **self.totals(line),
                order_id=order_id,
                payment_method=payment_method,
                placed_on=date(2025, 9, 1),
                lines=(line,),
            )
        )
        return order_id

    async def pay_by_card(self, urn: int, service_id: UUID) -> UUID:
        line = order_line(service_id)
        order_id = await self.place(urn, service_id, line=line, payment_method="card")
        await self.publish(
            OrderPaidV1(
                **self.school_fields(urn),
                **self.totals(line),
                order_id=order_id,
                payment_reference=f"pi_{order_id.hex}",
                paid_on=date(2025, 9, 2),
                lines=(line,),
            )
        )
        return order_id

    async def cancel(self, urn: int, order_id: UUID, service_id: UUID) -> None:
        await self.publish(
            OrderCancelledV1(
                **self.school_fields(urn),
                order_id=order_id,
                cancelled_on=date(2025, 9, 3),
                reason="changed our plans",
                lines=(order_line(service_id),),
            )
        )

    async def credit_back(
        self, urn: int, order_id: UUID, service_id: UUID, *, withdrawn: bool = True
    ) -> None:
        """A credit note giving back the order's line of this service whole: its session
        called off (`withdrawn`), or some other credit of its money (not withdrawn)."""
        line = order_line(service_id).model_copy(update={"withdrawn": withdrawn})
        await self.publish(
            CreditNoteIssuedV1(
                **self.school_fields(urn),
                **self.totals(line),
                credit_note_id=uuid4(),
                credit_note_number=f"CN-{order_id.hex[:6]}",
                invoice_id=uuid4(),
                invoice_number=f"INV-{order_id.hex[:6]}",
                order_id=order_id,
                issued_on=date(2025, 9, 3),
                reason="the session was cancelled: full refund",
                lines=(line,),
                outstanding_pence=0,
            )
        )

    @staticmethod
    def school_fields(urn: int) -> dict[str, Any]:
        school = REGISTER[urn]
        return {
            "urn": urn,
            "school_name": school.name,
            "phase": school.phase,
            "la_code": school.la_code,
        }

    @staticmethod
    def totals(line: OrderLineV1) -> dict[str, Any]:
        return {
            "strand": Strand.TRADED,
            "net_pence": line.net_pence,
            "vat_pence": line.vat_pence,
            "gross_pence": line.gross_pence,
            "financial_year": "2025-26",
        }

    async def post_income(self, service_id: UUID, *, urn: int, net_pence: int) -> None:
        await self.publish(
            TransactionPostedV1(
                transaction_id=uuid4(),
                source_event_id=uuid4(),
                source_subject="orders.invoice.raised.v1",
                strand=Strand.TRADED,
                description="Invoice",
                posted_on=date(2025, 9, 1),
                financial_year="2025-26",
                postings=(
                    PostingV1(
                        account="shared:receivables:schools", amount_pence=net_pence, urn=urn
                    ),
                    PostingV1(
                        account="traded:income:cpd-and-leadership",
                        amount_pence=-net_pence,
                        urn=urn,
                        service_id=str(service_id),
                        category="CPD and leadership",
                    ),
                ),
            )
        )

    async def deploy(self, urn: int, *, case_id: UUID, provider_id: UUID) -> UUID:
        contract_id = UUID(int=1)
        deployment_id = uuid4()
        await self.publish(
            DeploymentCompletedV1(
                deployment_id=deployment_id,
                case_id=case_id,
                contract_id=contract_id,
                contract_reference="HCC-SI-2025",
                provider_id=provider_id,
                provider_name="Abbots Langley School (NLE)",
                provider_kind="nle",
                urn=urn,
                half_days=4,
                day_rate_pence=65_000,
                completed_on=date(2025, 10, 1),
                strand=Strand.STATUTORY,
                net_pence=130_000,
                vat_pence=0,
                gross_pence=130_000,
                financial_year="2025-26",
            )
        )
        return deployment_id


def order_line(service_id: UUID, *, provider_id: UUID | None = None) -> OrderLineV1:
    return OrderLineV1(
        service_id=service_id,
        title="Maths mastery CPD",
        service_type="course",
        category="CPD and leadership",
        price_version=1,
        quantity=1,
        unit_price_pence=59_500,
        vat_rate=VatRate.EXEMPT,
        net_pence=59_500,
        vat_pence=0,
        gross_pence=59_500,
        provider_id=provider_id,
    )


@asynccontextmanager
async def evaluation_world(
    databases: DatabaseFactory, nats_url: str
) -> AsyncIterator[EvaluationWorld]:
    await reset_streams(nats_url)
    service = registry.service(
        "evaluation",
        database_url=await databases.new("evaluation"),
        nats_url=nats_url,
        environment="test",
        outbox_poll_seconds=0.02,
    )
    await service.migrate()
    worker = service.worker()
    await worker.start()
    api = httpx.AsyncClient(transport=httpx.ASGITransport(app=service.api()), base_url="http://e")
    try:
        yield EvaluationWorld(service, api, nats_url)
    finally:
        await api.aclose()
        await worker.stop()
        await service.engine.dispose()


async def deliver_outbox(producer: Service[Any], consumer: Service[Any], kind: type[Event]) -> int:
    """Apply each event of this kind in the producer's outbox to the consumer, once, as its
    consumer would; how many were applied now."""
    outbox = producer.definition.tables.outbox
    async with producer.sessions() as session:
        bodies = await session.scalars(
            select(outbox.c.body).where(outbox.c.subject == kind.subject)
        )
    applied = 0
    for body in bodies.all():
        envelope = Envelope[kind].model_validate_json(body)  # type: ignore[valid-type]
        applied += await apply_once(
            envelope, uow_factory=consumer.unit_of_work, apply=consumer.bus.apply
        )
    return applied


@asynccontextmanager
async def seeded_evaluation(databases: DatabaseFactory) -> AsyncIterator[httpx.AsyncClient]:
    """Catalogue, evaluation and the ledger with the demo seeded, and evaluation's API to read
    it through. No worker: the seed writes directly, and what the ledger announced of its
    earlier sales is applied to evaluation as its consumer would apply it."""
    from services.seed.catalogue import seed_catalogue
    from services.seed.evaluation import seed_evaluation
    from services.seed.ks2_evaluation import earlier_sales
    from services.seed.ledger import seed_ledger_history

    services: dict[str, Service[Any]] = {
        name: registry.service(name, database_url=await databases.new(name), environment="test")
        for name in ("catalogue", "evaluation", "ledger")
    }
    for service in services.values():
        await service.migrate()
    await seed_catalogue(services["catalogue"])
    await seed_evaluation(services["evaluation"], services["catalogue"])
    await seed_ledger_history(services["ledger"], await earlier_sales(services["catalogue"]))
    await deliver_outbox(services["ledger"], services["evaluation"], TransactionPostedV1)
    api = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=services["evaluation"].api()), base_url="http://e"
    )
    try:
        yield api
    finally:
        await api.aclose()
        for service in services.values():
            await service.engine.dispose()
