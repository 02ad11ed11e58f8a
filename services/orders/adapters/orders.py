from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import invoices, order_lines, orders, refunds, sequences
from services.orders.domain.invoice import Invoice
from services.orders.domain.lines import Booking, OrderLine
from services.orders.domain.order import IdempotencyKeyTaken, Order, PaymentMethod
from services.orders.domain.refunds import CardRefunds
from services.orders.domain.states import OrderStatus, PaymentStatus, RefundStatus
from shared.clock import in_utc
from shared.errors import NotFound
from shared.money import Amounts, VatRate
from shared.sequences import take_number

ORDER_COLUMNS = (
    "urn",
    "approved_by",
    "approved_on",
    "approve_by",
    "purchase_order",
    "placed_on",
    "placed_at",
    "idempotency_key",
    "payment_reference",
    "paid_pence",
    "refunded_pence",
    "cancelled_on",
    "fulfilled_on",
    "trust_code",
    "trust_name",
)


class OrderRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, order: Order) -> None:
        """Store a new order with its lines (and invoice). An order keyed for retries whose key
        is taken (a racing retry committed first) raises IdempotencyKeyTaken: the transaction is
        spoilt, and a new one finds the other's order."""
        try:
            await self._session.execute(insert(orders), {"id": order.id, **_order_row(order)})
        except IntegrityError as clash:
            if order.idempotency_key is None:
                raise
            raise IdempotencyKeyTaken(
                "another checkout with this Idempotency-Key is storing its order",
                field="idempotency_key",
            ) from clash
        await self._session.execute(
            insert(order_lines),
            [
                {"order_id": order.id, "position": position, **vars(line)}
                for position, line in enumerate(order.lines)
            ],
        )
        if order.invoice:
            await self.add_invoice(order)

    async def add_invoice(self, order: Order) -> None:
        """The invoice of an order placed before it was invoiced (once approved)."""
        assert order.invoice is not None
        await self._session.execute(
            insert(invoices), {"order_id": order.id, **_invoice_row(order.invoice)}
        )

    async def save(self, order: Order) -> None:
        """Write back what an order's life changes: its state, its invoice, its bookings."""
        await self._session.execute(
            update(orders).where(orders.c.id == order.id).values(**_order_row(order))
        )
        for line in order.lines:
            await self._session.execute(
                update(order_lines)
                .where(order_lines.c.order_id == order.id, order_lines.c.line_id == line.line_id)
                .values(
                    booking=line.booking,
                    waiting_position=line.waiting_position,
                    offer_expires_at=line.offer_expires_at,
                )
            )
        if order.invoice:
            await self._session.execute(
                update(invoices)
                .where(invoices.c.id == order.invoice.id)
                .values(**_invoice_row(order.invoice))
            )

    async def get(self, order_id: UUID, *, locked: bool = False) -> Order:
        """One order; `locked` holds its row until commit, so two changes queue."""
        if locked:
            await self._session.execute(
                select(orders.c.id).where(orders.c.id == order_id).with_for_update()
            )
        found = await self.find(order_id=order_id)
        if not found:
            raise NotFound(f"no order {order_id}", field="order_id")
        return found[0]

    async def find(
        self,
        *,
        urn: int | None = None,
        order_id: UUID | None = None,
        idempotency_key: str | None = None,
        payment_reference: str | None = None,
        trust_code: str | None = None,
        schools_own: bool = False,
        lines_for: int | None = None,
        involving: int | Collection[int] | None = None,
        buying: Collection[UUID] | None = None,
    ) -> list[Order]:
        """`schools_own` leaves out trusts' orders (a school's own orders only); `lines_for`
        finds the trusts' orders with a line for that school; `involving` a school's own orders
        and those (or any of several schools'); `buying` only orders with a line of one of
        these services. Newest first: by the moment placed, then by id (orders placed at one
        moment keep one order)."""
        query = select(orders).order_by(orders.c.placed_at.desc(), orders.c.id.desc())
        if schools_own:
            query = query.where(orders.c.trust_code.is_(None))
        if lines_for is not None:
            query = query.where(orders.c.trust_code.is_not(None), _with_lines_for({lines_for}))
        if involving is not None:
            urns = {involving} if isinstance(involving, int) else set(involving)
            query = query.where(or_(orders.c.urn.in_(urns), _with_lines_for(urns)))
        if buying is not None:
            query = query.where(_with_lines_of(buying))
        for column, value in (
            (orders.c.urn, urn),
            (orders.c.trust_code, trust_code),
            (orders.c.id, order_id),
            (orders.c.idempotency_key, idempotency_key),
            (orders.c.payment_reference, payment_reference),
        ):
            if value is not None:
                query = query.where(column == value)
        rows = [row._mapping for row in await self._session.execute(query)]
        if not rows:  # a checkout's look for an earlier one with its key, mostly
            return []
        ids = [row["id"] for row in rows]
        lines = await self._lines(ids)
        invoice_of = await self._invoices(ids)
        card_refunds = await self.card_refunds(ids)
        return [
            Order(
                id=row["id"],
                payment_method=PaymentMethod(row["payment_method"]),
                status=OrderStatus(row["status"]),
                payment_status=PaymentStatus(row["payment_status"]),
                lines=lines.get(row["id"], []),
                invoice=invoice_of.get(row["id"]),
                card_refunds=card_refunds.get(row["id"], CardRefunds()),
                **_stored_columns(row),
            )
            for row in rows
        ]

    async def booked_on(self, session_id: UUID) -> list[UUID]:
        """The orders with a line on this course session."""
        rows = await self._session.execute(
            select(order_lines.c.order_id)
            .where(order_lines.c.session_id == session_id)
            .distinct()
            .order_by(order_lines.c.order_id)
        )
        return [row.order_id for row in rows]

    async def by_idempotency_key(self, urn: int, key: str) -> Order | None:
        found = await self.find(urn=urn, idempotency_key=key)
        return found[0] if found else None

    async def by_payment_reference(self, reference: str) -> Order | None:
        found = await self.find(payment_reference=reference)
        return found[0] if found else None

    async def next_invoice_number(self) -> str:
        return f"INV-{await take_number(self._session, sequences, 'invoice'):06d}"

    async def next_credit_note_number(self) -> str:
        return f"CN-{await take_number(self._session, sequences, 'credit_note'):06d}"

    async def invoice(self, invoice_id: UUID) -> Order:
        order_id = await self._session.scalar(
            select(invoices.c.order_id).where(invoices.c.id == invoice_id)
        )
        if order_id is None:
            raise NotFound(f"no invoice {invoice_id}", field="invoice_id")
        return await self.get(order_id)

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
            grouped.setdefault(order_id, []).append(line_of(values))
        return grouped

    async def card_refunds(self, order_ids: list[UUID]) -> dict[UUID, CardRefunds]:
        """How each order's card refunds stand at the card processor (orders with none left
        out)."""
        query = (
            select(
                refunds.c.order_id,
                refunds.c.status,
                func.sum(refunds.c.net_pence + refunds.c.vat_pence).label("gross_pence"),
            )
            .where(refunds.c.order_id.in_(order_ids), refunds.c.kind == "card_refund")
            .group_by(refunds.c.order_id, refunds.c.status)
        )
        sums: dict[UUID, dict[RefundStatus, int]] = {}
        for row in await self._session.execute(query):
            sums.setdefault(row.order_id, {})[RefundStatus(row.status)] = int(row.gross_pence)
        return {
            order_id: CardRefunds(
                made_pence=by_status.get(RefundStatus.DONE, 0),
                asked_pence=by_status.get(RefundStatus.ASKED, 0),
                refused_pence=by_status.get(RefundStatus.FAILED, 0),
            )
            for order_id, by_status in sums.items()
        }

    async def _invoices(self, order_ids: list[UUID]) -> dict[UUID, Invoice]:
        query = select(invoices).where(invoices.c.order_id.in_(order_ids))
        found = {}
        for row in await self._session.execute(query):
            values = dict(row._mapping)
            amounts = Amounts(net=values.pop("net_pence"), vat=values.pop("vat_pence"))
            found[values["order_id"]] = Invoice(**values, amounts=amounts)
        return found


def line_of(values: dict[str, Any]) -> OrderLine:
    values["vat_rate"] = VatRate(values["vat_rate"])
    if values.get("offer_expires_at") is not None:
        values["offer_expires_at"] = in_utc(values["offer_expires_at"])
    if values.get("booking"):
        values["booking"] = Booking(values["booking"])
    return OrderLine(**values)


def _stored_columns(row: RowMapping) -> dict[str, Any]:
    """The order's own columns as stored, its moment in UTC (SQLite keeps it without its zone)."""
    return {name: row[name] for name in ORDER_COLUMNS} | {"placed_at": in_utc(row["placed_at"])}


def _order_row(order: Order) -> dict[str, Any]:
    return {
        "payment_method": order.payment_method.value,
        "status": order.status.value,
        "payment_status": order.payment_status.value,
        **{name: getattr(order, name) for name in ORDER_COLUMNS},
    }


def _invoice_row(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "number": invoice.number,
        "purchase_order": invoice.purchase_order,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "net_pence": invoice.amounts.net,
        "vat_pence": invoice.amounts.vat,
        "paid_pence": invoice.paid_pence,
        "credited_pence": invoice.credited_pence,
    }


def _with_lines_of(service_ids: Collection[UUID]) -> ColumnElement[bool]:
    """An order with a line of one of these services (looked up by the order's own lines)."""
    return exists().where(
        order_lines.c.order_id == orders.c.id, order_lines.c.service_id.in_(set(service_ids))
    )


def _with_lines_for(urns: Collection[int]) -> ColumnElement[bool]:
    """An order (a trust's) with a line for one of these schools."""
    lines_for = select(order_lines.c.order_id).where(order_lines.c.school_urn.in_(urns))
    return orders.c.id.in_(lines_for)
