"""Setting an academy trust's price list."""

from __future__ import annotations

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.trust_prices import TrustPriceList


async def set_trust_price_list(uow: CatalogueUnitOfWork, prices: TrustPriceList) -> None:
    """Replaces the trust's list; quotes from now on use it, orders placed keep their prices."""
    await uow.trust_prices.put(prices)
    await uow.commit()
