"""Money records beside the orders: remittances received, refunds and credit notes issued, and
the Stripe webhook events already applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import invoices, orders, refunds, remittances, stripe_events


@dataclass(frozen=True)
class Remittance:
    id: UUID
    invoice_id: UUID
    amount_pence: int
    received_on: date
    reference: str
    recorded_by: str


@dataclass(frozen=True)
class Refund:
    id: UUID
    order_id: UUID
    kind: str  # card_refund or credit_note
    number: str | None
    reference: str | None
    net_pence: int
    vat_pence: int
    issued_on: date
    reason: str
    idempotency_key: str | None = None

    @property
    def gross_pence(self) -> int:
        return self.net_pence + self.vat_pence


class PaymentRecords:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add_remittance(self, remittance: Remittance) -> None:
        await self._session.execute(insert(remittances).values(**remittance.__dict__))

    async def remittance_recorded(self, invoice_id: UUID, reference: str) -> bool:
        found = await self._session.scalar(
            select(remittances.c.id).where(
                remittances.c.invoice_id == invoice_id, remittances.c.reference == reference
            )
        )
        return found is not None

    async def remittances(self, *, urn: int | None = None) -> list[Remittance]:
        query = (
            select(remittances)
            .join(invoices, invoices.c.id == remittances.c.invoice_id)
            .join(orders, orders.c.id == invoices.c.order_id)
            .order_by(remittances.c.received_on, remittances.c.reference)
        )
        if urn is not None:
            query = query.where(orders.c.urn == urn)
        return [Remittance(**row._mapping) for row in await self._session.execute(query)]

    async def add_refund(self, refund: Refund) -> None:
        await self._session.execute(insert(refunds).values(**refund.__dict__))

    async def refunds(
        self, *, urn: int | None = None, order_id: UUID | None = None
    ) -> list[Refund]:
        query = (
            select(refunds)
            .join(orders, orders.c.id == refunds.c.order_id)
            .order_by(refunds.c.issued_on, refunds.c.id)
        )
        if urn is not None:
            query = query.where(orders.c.urn == urn)
        if order_id is not None:
            query = query.where(refunds.c.order_id == order_id)
        return [Refund(**row._mapping) for row in await self._session.execute(query)]

    async def refund_made(self, order_id: UUID, idempotency_key: str) -> bool:
        found = await self._session.scalar(
            select(refunds.c.id).where(
                refunds.c.order_id == order_id, refunds.c.idempotency_key == idempotency_key
            )
        )
        return found is not None

    async def seen_stripe_event(self, event_id: str) -> bool:
        found = await self._session.scalar(
            select(stripe_events.c.event_id).where(stripe_events.c.event_id == event_id)
        )
        return found is not None

    async def note_stripe_event(self, event_id: str, event_type: str) -> None:
        await self._session.execute(
            insert(stripe_events).values(
                event_id=event_id, type=event_type, received_at=datetime.now(UTC)
            )
        )
