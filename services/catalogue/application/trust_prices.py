"""Setting an academy trust's price list."""

from __future__ import annotations

from dataclasses import dataclass

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.trust_prices import TrustPriceList
from shared.bus import Command


@dataclass(frozen=True)
class SetTrustPriceList(Command["TrustPriceList"]):
    """Replaces the trust's list; quotes from now on use it, orders placed keep their prices."""

    prices: TrustPriceList


async def set_trust_price_list(
    command: SetTrustPriceList, *, uow: CatalogueUnitOfWork
) -> TrustPriceList:
    await uow.trust_prices.put(command.prices)
    return command.prices
