"""Stripe payouts as finance imported them."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.tables import payout_references, payouts
from services.ledger.domain.reconciliation import Payout


class Payouts:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def known(self, payout_id: str) -> bool:
        found = await self._session.execute(
            select(payouts.c.payout_id).where(payouts.c.payout_id == payout_id)
        )
        return found.first() is not None

    async def add(self, payout: Payout) -> None:
        await self._session.execute(
            insert(payouts).values(
                payout_id=payout.payout_id,
                arrival_on=payout.arrival_on,
                amount_pence=payout.amount_pence,
                fee_pence=payout.fee_pence,
            )
        )
        if payout.references:
            await self._session.execute(
                insert(payout_references),
                [
                    {"payout_id": payout.payout_id, "payment_reference": reference}
                    for reference in sorted(set(payout.references))
                ],
            )

    async def all(self) -> list[Payout]:
        by_payout: dict[str, list[str]] = {}
        for payout_id, reference in await self._session.execute(select(payout_references)):
            by_payout.setdefault(payout_id, []).append(reference)
        rows = await self._session.execute(select(payouts).order_by(payouts.c.arrival_on))
        return [
            Payout(
                row.payout_id,
                row.arrival_on,
                row.amount_pence,
                row.fee_pence,
                tuple(sorted(by_payout.get(row.payout_id, []))),
            )
            for row in rows
        ]
