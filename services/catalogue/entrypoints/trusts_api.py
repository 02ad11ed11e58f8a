"""Academy trusts' price lists: the catalogue admin sets a trust's discount; the trust's buyer
reads it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field

from services.catalogue.application import views
from services.catalogue.application.trust_prices import SetTrustPriceList
from services.catalogue.domain.trust_prices import TrustPriceList
from services.catalogue.entrypoints.deps import BusDep, CatalogueAdmin, UnitOfWorkDep
from shared.api.catalogue import TrustPriceListCreate, TrustPriceListPublic
from shared.auth import Principal, Role
from shared.errors import Forbidden
from shared.http import require

router = APIRouter(prefix="/trusts", tags=["trusts"])
TrustCode = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$")]
PriceListReader = Annotated[
    Principal, Depends(require(Role.CATALOGUE_ADMIN, Role.ADMIN, Role.TRUST_BUYER))
]


@router.put("/{trust_code}/price-list")
async def set_price_list(
    trust_code: TrustCode, body: TrustPriceListCreate, bus: BusDep, _: CatalogueAdmin
) -> TrustPriceListPublic:
    """Set a trust's price list: a percentage off every service for each school of the trust."""
    prices = TrustPriceList(trust_code, body.trust_name, body.discount_percent)
    return TrustPriceListPublic(**(await bus.handle(SetTrustPriceList(prices))).__dict__)


@router.get("/{trust_code}/price-list")
async def get_price_list(
    trust_code: TrustCode, uow: UnitOfWorkDep, user: PriceListReader
) -> TrustPriceListPublic:
    """A trust's price list (no discount if none is set); a trust buyer reads only its own."""
    if user.is_trust_buyer and user.trust != trust_code:
        raise Forbidden("a trust buyer reads only its own trust's price list", field="trust_code")
    return TrustPriceListPublic(**(await views.trust_price_list(uow, trust_code)).__dict__)
