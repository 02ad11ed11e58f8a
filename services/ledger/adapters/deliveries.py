"""Orders whose lines await delivery, as stored: the income each such line holds in deferred
income until its order is delivered, and the day it was."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.tables import (
    awaiting_delivery,
    order_deliveries,
    postings,
    transactions,
)
from services.ledger.domain.entries import Awaited
from services.ledger.domain.transaction import Dimensions
from shared.upserts import dialect_insert, dialect_of


@cache
def _taking_the_order(dialect: str) -> Any:
    """Insert the order's row, or (there already) touch it, taking its lock either way, and
    return the day it was delivered: one statement."""
    statement = dialect_insert(dialect, order_deliveries)
    return statement.on_conflict_do_update(
        index_elements=["order_id"], set_={"order_id": statement.excluded.order_id}
    ).returning(order_deliveries.c.delivered_on)


@cache
def _adding_to_what_is_held(dialect: str) -> Any:
    statement = dialect_insert(dialect, awaiting_delivery)
    return statement.on_conflict_do_update(
        index_elements=["order_id", "line_id"],
        set_={"pence": awaiting_delivery.c.pence + statement.excluded.pence},
    )


class Deliveries:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def delivered_on(self, order_id: str) -> date | None:
        """The day the order was delivered, if it has been; holds the order's row until this
        transaction ends (on PostgreSQL: SQLite has one writer), so that a sale and the order's
        fulfilment applied by two workers at once are applied one after the other."""
        found = await self._session.execute(
            _taking_the_order(dialect_of(self._session)), {"order_id": order_id}
        )
        return found.scalar_one()  # type: ignore[no-any-return]

    async def held(self, order_id: str) -> set[str]:
        """The lines of the order that hold income for its delivery."""
        found = await self._session.scalars(
            select(awaiting_delivery.c.line_id).where(awaiting_delivery.c.order_id == order_id)
        )
        return set(found.all())

    async def hold(self, order_id: str, awaited: list[Awaited]) -> None:
        """Add to (or, by a refund, take from) what these lines hold; call after `delivered_on`."""
        await self._session.execute(
            _adding_to_what_is_held(dialect_of(self._session)),
            [
                {
                    "order_id": order_id,
                    "line_id": item.line_id,
                    "pence": item.pence,
                    "dimensions": json.dumps(item.dimensions.as_dict()),
                    "document": item.dimensions.document,
                }
                for item in awaited
            ],
        )

    async def held_by_document(self, documents: list[str]) -> dict[str, int]:
        """What the sales under these documents still hold for their orders' delivery."""
        rows = await self._session.execute(
            select(awaiting_delivery.c.document, func.sum(awaiting_delivery.c.pence))
            .where(awaiting_delivery.c.document.in_(sorted(set(documents))))
            .group_by(awaiting_delivery.c.document)
        )
        return {document: int(pence) for document, pence in rows if pence}

    async def deliver(self, order_id: str, on: date) -> list[Awaited]:
        """Mark the order delivered on `on` and give up what its lines held (nothing, if it
        was delivered before)."""
        if await self.delivered_on(order_id) is not None:
            return []
        await self._session.execute(
            update(order_deliveries)
            .where(order_deliveries.c.order_id == order_id)
            .values(delivered_on=on)
        )
        rows = (
            await self._session.execute(
                delete(awaiting_delivery)
                .where(awaiting_delivery.c.order_id == order_id)
                .returning(
                    awaiting_delivery.c.line_id,
                    awaiting_delivery.c.pence,
                    awaiting_delivery.c.dimensions,
                )
            )
        ).all()
        return [
            Awaited(row.line_id, row.pence, Dimensions(**json.loads(row.dimensions)))
            for row in sorted(rows, key=lambda row: row.line_id)
        ]

    async def sold_as_income(self, document: str, service_ids: set[str]) -> set[str]:
        """Of these services, those a sale under this document booked straight to income: sold
        before the book held income for delivery, so a refund of them takes back income."""
        found = await self._session.scalars(
            select(postings.c.service_id)
            .join(transactions, transactions.c.id == postings.c.transaction_id)
            .where(
                postings.c.document == document,
                postings.c.service_id.in_(sorted(service_ids)),
                postings.c.account.startswith("traded:income:"),
                postings.c.amount_pence < 0,
                transactions.c.kind == "sale",
            )
            .distinct()
        )
        return set(found.all())
