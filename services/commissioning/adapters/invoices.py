"""Invoices to the LA."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.commissioning.adapters.tables import la_invoices, sequences
from services.commissioning.domain.milestone import LaInvoice
from shared.errors import NotFound
from shared.money import Amounts
from shared.sequences import take_number


class LaInvoiceRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def next_number(self) -> str:
        return f"LA-{await take_number(self._session, sequences, 'la_invoice'):06d}"

    async def add(self, invoice: LaInvoice) -> None:
        await self._session.execute(
            insert(la_invoices).values(
                id=invoice.id,
                number=invoice.number,
                contract_id=invoice.contract_id,
                milestone_id=invoice.milestone_id,
                issued_on=invoice.issued_on,
                due_on=invoice.due_on,
                net_pence=invoice.amounts.net,
                vat_pence=invoice.amounts.vat,
            )
        )

    async def get(self, invoice_id: UUID) -> LaInvoice:
        row = (
            await self._session.execute(select(la_invoices).where(la_invoices.c.id == invoice_id))
        ).first()
        if row is None:
            raise NotFound(f"no LA invoice {invoice_id}", field="invoice_id")
        return _invoice(row._mapping)

    async def list(self, contract_id: UUID | None = None) -> list[LaInvoice]:
        query = select(la_invoices).order_by(la_invoices.c.number)
        if contract_id:
            query = query.where(la_invoices.c.contract_id == contract_id)
        return [_invoice(row._mapping) for row in await self._session.execute(query)]

    async def numbers(self, invoice_ids: set[UUID]) -> dict[UUID, str]:
        query = select(la_invoices.c.id, la_invoices.c.number).where(
            la_invoices.c.id.in_(invoice_ids)
        )
        return {row.id: row.number for row in await self._session.execute(query)}


def _invoice(row: Any) -> LaInvoice:
    return LaInvoice(
        id=row["id"],
        number=row["number"],
        contract_id=row["contract_id"],
        milestone_id=row["milestone_id"],
        issued_on=row["issued_on"],
        due_on=row["due_on"],
        amounts=Amounts(net=row["net_pence"], vat=row["vat_pence"]),
    )
