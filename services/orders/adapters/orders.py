from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orders.adapters.tables import invoices, order_lines, orders, sequences
from services.orders.domain.order import (
    Invoice,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from shared.errors import NotFound
from shared.money import Amounts, VatRate
from shared.sequences import take_number


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, order: Order) -> None:
        await self._session.execute(
            insert(orders).values(
                id=order.id,
                urn=order.urn,
                payment_method=order.payment_method.value,
                purchase_order=order.purchase_order,
                placed_on=order.placed_on,
                status=order.status.value,
            )
        )
        await self._session.execute(
            insert(order_lines),
            [
                {"order_id": order.id, "position": position, **asdict(line)}
                for position, line in enumerate(order.lines)
            ],
        )
        if order.invoice:
            invoice = order.invoice
            await self._session.execute(
                insert(invoices).values(
                    id=invoice.id,
                    number=invoice.number,
                    order_id=order.id,
                    purchase_order=invoice.purchase_order,
                    issued_on=invoice.issued_on,
                    due_on=invoice.due_on,
                    net_pence=invoice.amounts.net,
                    vat_pence=invoice.amounts.vat,
                )
            )

    async def get(self, order_id: UUID) -> Order:
        found = await self.find(order_id=order_id)
        if not found:
            raise NotFound(f"no order {order_id}", field="order_id")
        return found[0]

    async def find(self, *, urn: int | None = None, order_id: UUID | None = None) -> list[Order]:
        query = select(orders).order_by(orders.c.placed_on.desc(), orders.c.id)
        if urn is not None:
            query = query.where(orders.c.urn == urn)
        if order_id is not None:
            query = query.where(orders.c.id == order_id)
        rows = [row._mapping for row in await self._session.execute(query)]
        ids = [row["id"] for row in rows]
        lines = await self._lines(ids)
        invoice_of = await self._invoices(ids)
        return [
            Order(
                id=row["id"],
                urn=row["urn"],
                payment_method=PaymentMethod(row["payment_method"]),
                purchase_order=row["purchase_order"],
                placed_on=row["placed_on"],
                status=OrderStatus(row["status"]),
                lines=lines.get(row["id"], []),
                invoice=invoice_of.get(row["id"]),
            )
            for row in rows
        ]

    async def next_invoice_number(self) -> str:
        return f"INV-{await take_number(self._session, sequences, 'invoice'):06d}"

    async def _lines(self, order_ids: list[UUID]) -> dict[UUID, list[OrderLine]]:
        query = (
            select(order_lines)
            .where(order_lines.c.order_id.in_(order_ids))
            .order_by(order_lines.c.order_id, order_lines.c.position)
        )
        grouped: dict[UUID, list[OrderLine]] = {}
        for row in await self._session.execute(query):
            values = dict(row._mapping)
            order_id = values.pop("order_id")
            values.pop("position")
            values["vat_rate"] = VatRate(values["vat_rate"])
            grouped.setdefault(order_id, []).append(OrderLine(**values))
        return grouped

    async def _invoices(self, order_ids: list[UUID]) -> dict[UUID, Invoice]:
        query = select(invoices).where(invoices.c.order_id.in_(order_ids))
        found = {}
        for row in await self._session.execute(query):
            values = dict(row._mapping)
            amounts = Amounts(net=values.pop("net_pence"), vat=values.pop("vat_pence"))
            found[values["order_id"]] = Invoice(**values, amounts=amounts)
        return found
