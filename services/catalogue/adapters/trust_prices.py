"""Trusts' price lists, stored and found again."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.catalogue.adapters.tables import trust_price_lists
from services.catalogue.domain.trust_prices import TrustPriceList
from shared.upserts import put

# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
OF_TRUST = select(trust_price_lists).where(trust_price_lists.c.trust_code == bindparam("code"))


class TrustPriceRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def find(self, trust_code: str | None) -> TrustPriceList | None:
        if trust_code is None:
            return None
        row = (await self._session.execute(OF_TRUST, {"code": trust_code})).first()
        return TrustPriceList(**row._mapping) if row else None

    async def put(self, prices: TrustPriceList) -> None:
        await put(self._session, trust_price_lists, asdict(prices))
