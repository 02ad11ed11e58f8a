"""An LA invoice's number by its id, as commissioning's invoice.raised events name it: a service
credit sent before credits named their invoice's number gave only the id (see
`tables.la_invoice_numbers`)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.balances import move_open_items
from services.ledger.adapters.tables import la_invoice_numbers, postings, transactions
from services.ledger.domain.accounts import LA_RECEIVABLES
from shared.upserts import dialect_of, inserting_new, replacing

_CREDITS = select(transactions.c.id).where(transactions.c.kind == "service_credit")
# a credit's postings, and those of its reversal
_CREDITED = _CREDITS.union(
    select(transactions.c.id).where(transactions.c.reverses_id.in_(_CREDITS))
)


class LaInvoiceNumbers:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def number_of(self, invoice_id: UUID) -> str | None:
        """The invoice's number; None if its event has not come yet. Then the row is claimed
        without one, so that the invoice's event, however near, waits for this transaction to
        end and files what it posted under the number (`remember`)."""
        row = {"invoice_id": str(invoice_id), "number": None}
        await self._session.execute(
            inserting_new(la_invoice_numbers, dialect_of(self._session)), row
        )
        return await self._session.scalar(
            select(la_invoice_numbers.c.number).where(
                la_invoice_numbers.c.invoice_id == str(invoice_id)
            )
        )

    async def remember(self, invoice_id: UUID, number: str) -> None:
        """Remember the invoice's number, and file under it the credits (and their reversals)
        the book filed under the invoice's id, having had no number for it then."""
        filed = str(invoice_id)
        await self._session.execute(
            replacing(la_invoice_numbers, dialect_of(self._session), "number"),
            {"invoice_id": filed, "number": number},
        )
        moved = await self._session.execute(
            update(postings)
            .where(postings.c.document == filed, postings.c.transaction_id.in_(_CREDITED))
            .values(document=number)
        )
        if moved.rowcount:
            await move_open_items(self._session, LA_RECEIVABLES.code, document=filed, to=number)
