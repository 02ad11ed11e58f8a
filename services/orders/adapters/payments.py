"""Money records beside the orders: remittances received, refunds and credit notes issued, and
the Stripe webhook events already applied.

A card refund is stored `asked`, with the refund.issued event it will send (held back), in the
transaction that gives the money back; Stripe is asked after that commits, and the refund is then
marked `done` (the event sent) or `failed` once, however many ask at the same time. Finance may
ask again for a failed one: it is `asked` once more, under its next attempt's key; or record it
paid back by bank transfer instead: it is `done`, its event sent, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import invoices, orders, refunds, remittances, stripe_events
from services.orders.domain.states import RefundStatus
from shared.clock import in_utc
from shared.errors import NotFound
from shared.events import Envelope, Event, RefundIssuedV1, RefundMethod
from shared.events.base import envelope_of

REFUND_COLUMNS = [column for column in refunds.c if column.name != "news"]


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
    issued_on: date  # the day the money went back (one not yet made: the day it was asked)
    reason: str
    idempotency_key: str | None = None
    asked_on: date | None = None  # a card refund: the day it was first asked
    status: RefundStatus = RefundStatus.DONE
    asked_at: datetime | None = None  # a card refund: when Stripe was (last) asked afresh
    refused: str | None = None  # failed: why Stripe refused it
    attempt: int = 1  # asked again by finance after Stripe refused it: 2, 3...
    method: RefundMethod | None = None  # a card refund: how the money went (or is to go) back

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

    async def add_refund(self, refund: Refund, *, news: Envelope[Event] | None = None) -> None:
        """A refund or credit note; a card refund `asked` keeps the event it sends once made."""
        await self._session.execute(
            insert(refunds).values(
                **refund.__dict__, news=news.model_dump_json() if news is not None else None
            )
        )

    async def refund(self, refund_id: UUID, *, locked: bool = False) -> Refund:
        """A refund (`locked`: its row held until the transaction ends, for a change that must
        be made once however often it is asked at the same time)."""
        query = _refunds().where(refunds.c.id == refund_id)
        row = (await self._session.execute(query.with_for_update() if locked else query)).first()
        if row is None:
            raise NotFound(f"no refund {refund_id}", field="refund_id")
        return _refund(row._mapping)

    async def refunds(
        self, *, urn: int | None = None, order_id: UUID | None = None
    ) -> list[Refund]:
        query = _refunds().order_by(refunds.c.issued_on, refunds.c.id)
        if urn is not None:
            query = query.where(orders.c.urn == urn)
        if order_id is not None:
            query = query.where(refunds.c.order_id == order_id)
        return [_refund(row._mapping) for row in await self._session.execute(query)]

    async def asked_refunds(
        self, *, order_id: UUID | None = None, asked_by: datetime | None = None
    ) -> list[UUID]:
        """The card refunds still waiting for Stripe (an order's, or those asked by a moment),
        oldest first."""
        query = (
            select(refunds.c.id)
            .where(refunds.c.status == RefundStatus.ASKED.value)
            .order_by(refunds.c.asked_at, refunds.c.id)
        )
        if asked_by is not None:
            query = query.where(refunds.c.asked_at <= asked_by)
        if order_id is not None:
            query = query.where(refunds.c.order_id == order_id)
        return list((await self._session.execute(query)).scalars())

    async def held_news(self, refund_id: UUID) -> Envelope[Event]:
        """The refund.issued event a card refund holds back until it is made."""
        news = await self._session.scalar(select(refunds.c.news).where(refunds.c.id == refund_id))
        held: Envelope[Event] = envelope_of(RefundIssuedV1).model_validate_json(news)
        return held

    async def refund_done(
        self, refund_id: UUID, *, reference: str, made_on: date, news: Envelope[Event]
    ) -> bool:
        """Mark an asked card refund made by Stripe on `made_on`, with Stripe's reference and
        the event it sends (`news`, kept with it); whether it was still asked (no one marked it
        first)."""
        return await self._mark(
            refund_id,
            status=RefundStatus.DONE.value,
            reference=reference,
            issued_on=made_on,
            news=news.model_dump_json(),
        )

    async def paid_by_transfer(
        self, refund: Refund, *, reference: str, paid_on: date, news: Envelope[Event]
    ) -> bool:
        """Mark a card refund Stripe refused as paid back by bank transfer on `paid_on`, with
        the bank's reference and the event it sends (`news`, kept with it); whether it was
        still refused as `refund` read it (no one asked Stripe again meanwhile)."""
        marked = await self._session.execute(
            update(refunds)
            .where(*_still_refused(refund))
            .values(
                status=RefundStatus.DONE.value,
                method=RefundMethod.BANK_TRANSFER.value,
                reference=reference,
                issued_on=paid_on,
                refused=None,
                news=news.model_dump_json(),
            )
        )
        return bool(marked.rowcount)

    async def refund_failed(self, refund_id: UUID, reason: str) -> bool:
        """Mark an asked card refund refused by Stripe for good; whether it was still asked."""
        return await self._mark(refund_id, status=RefundStatus.FAILED.value, refused=reason[:300])

    async def ask_again(self, refund: Refund, *, now: datetime) -> bool:
        """A failed card refund asked once more, as its next attempt (a key of its own, and
        Stripe's 24 hours for it from `now`); whether it was still failed (no one else asked)."""
        marked = await self._session.execute(
            update(refunds)
            .where(*_still_refused(refund))
            .values(
                status=RefundStatus.ASKED.value,
                attempt=refund.attempt + 1,
                asked_at=now,
                refused=None,
            )
        )
        return bool(marked.rowcount)

    async def _mark(self, refund_id: UUID, **values: object) -> bool:
        """An asked refund marked done or failed, once: whether this was the once."""
        marked = await self._session.execute(
            update(refunds)
            .where(refunds.c.id == refund_id, refunds.c.status == RefundStatus.ASKED.value)
            .values(**values)
        )
        return bool(marked.rowcount)

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


def _still_refused(refund: Refund) -> tuple[ColumnElement[bool], ...]:
    """The refund's row, while it is still refused as `refund` was read: not yet asked again,
    nor paid another way."""
    return (
        refunds.c.id == refund.id,
        refunds.c.status == RefundStatus.FAILED.value,
        refunds.c.attempt == refund.attempt,
    )


def _refunds() -> Select[Any]:
    return select(*REFUND_COLUMNS).join(orders, orders.c.id == refunds.c.order_id)


def _refund(values: Mapping[str, Any]) -> Refund:
    asked_at, method = values["asked_at"], values["method"]
    return Refund(
        **{
            **values,
            "status": RefundStatus(values["status"]),
            "asked_at": in_utc(asked_at) if asked_at is not None else None,
            "method": RefundMethod(method) if method is not None else None,
        }
    )
