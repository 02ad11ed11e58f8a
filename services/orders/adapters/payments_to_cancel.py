"""The card payments orders must still cancel at Stripe: each recorded in the transaction that
voided it with its order, and forgotten once Stripe has cancelled it (or once the payment, made
before Stripe heard, has been refunded)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import payments_to_cancel


class PaymentsToCancel:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, order_id: UUID, reference: str, *, now: datetime) -> None:
        await self._session.execute(
            insert(payments_to_cancel).values(
                order_id=order_id, reference=reference, recorded_at=now
            )
        )

    async def reference(self, order_id: UUID) -> str | None:
        """The payment the order must still cancel at Stripe, if any."""
        found: str | None = await self._session.scalar(
            select(payments_to_cancel.c.reference).where(payments_to_cancel.c.order_id == order_id)
        )
        return found

    async def orders(self, order_id: UUID | None = None) -> list[UUID]:
        """The orders with a payment still to cancel (of these, `order_id`), oldest first."""
        query = select(payments_to_cancel.c.order_id).order_by(
            payments_to_cancel.c.recorded_at, payments_to_cancel.c.order_id
        )
        if order_id is not None:
            query = query.where(payments_to_cancel.c.order_id == order_id)
        return list((await self._session.execute(query)).scalars())

    async def forget(self, order_id: UUID) -> bool:
        """Whether it was still to cancel (no one else finished it first)."""
        deleted = await self._session.execute(
            delete(payments_to_cancel).where(payments_to_cancel.c.order_id == order_id)
        )
        return bool(deleted.rowcount)
